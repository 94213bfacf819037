"""Drafts keep what a form held until it is saved or discarded, one logbook at a time."""

import json

from tace_log.drafts import DraftStore


def test_a_saved_draft_is_offered_back_and_gone_once_discarded(tmp_path):
    store = DraftStore(tmp_path / "a.sqlite")
    store.save("p1", "张伟 2026-11-20", {"name": "张伟", "mrn": "H1"}, {"id": "p1", "dose": "-20"})
    store.save("p1", "张伟 2026-11-21", {"name": "张伟", "mrn": "H1"}, {"id": "p1", "dose": "20"})

    again = DraftStore(tmp_path / "a.sqlite").drafts()
    assert [(d.id, d.title, d.procedure["dose"]) for d in again] == [("p1", "张伟 2026-11-21", "20")]
    assert (tmp_path / "drafts").is_dir()
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == ["p1.draft.json"]  # no temporary file left

    store.discard("p1")
    assert store.drafts() == []


def test_drafts_of_another_logbook_in_the_same_folder_are_not_offered(tmp_path):
    DraftStore(tmp_path / "a.sqlite").save("p1", "a", {}, {})
    assert DraftStore(tmp_path / "b.sqlite").drafts() == []


def test_an_unreadable_draft_file_is_skipped_and_kept(tmp_path):
    store = DraftStore(tmp_path / "a.sqlite")
    store.save("p1", "a", {}, {})
    broken = tmp_path / "drafts" / "p2.draft.json"
    broken.write_text("{half a", encoding="utf-8")
    assert [d.id for d in store.drafts()] == ["p1"]
    assert broken.exists()


def test_a_draft_records_whose_work_it_is_and_one_written_before_owners_still_reads(tmp_path):
    store = DraftStore(tmp_path / "a.sqlite")
    store.save("p1", "a", {}, {"id": "p1"}, owner="chen")
    assert [d.owner for d in store.drafts()] == ["chen"]
    [written] = (tmp_path / "drafts").iterdir()
    older = json.loads(written.read_text(encoding="utf-8"))
    del older["owner"]  # as the app wrote drafts before they had an owner: one file per procedure
    written.unlink()
    (tmp_path / "drafts" / "p1.draft.json").write_text(json.dumps(older), encoding="utf-8")
    assert [(d.id, d.owner) for d in store.drafts()] == [("p1", None)]


def test_two_peoples_unsaved_work_on_one_procedure_are_two_drafts(tmp_path):
    """After an idle lock, bob opened the procedure alice had left unsaved and typed: his draft replaced hers, and
    his save deleted it."""
    store = DraftStore(tmp_path / "a.sqlite")
    store.save("p1", "alice's", {}, {"id": "p1", "operator": "ALICE-UNSAVED"}, owner="alice")
    store.save("p1", "bob's", {}, {"id": "p1", "operator": "BOB"}, owner="bob")
    assert sorted((d.owner, d.procedure["operator"]) for d in store.drafts()) == [("alice", "ALICE-UNSAVED"),
                                                                                   ("bob", "BOB")]
    store.discard("p1", "bob")  # bob saved
    assert [(d.owner, d.procedure["operator"]) for d in store.drafts()] == [("alice", "ALICE-UNSAVED")]
