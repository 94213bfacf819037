from .cli import run

if __name__ == "__main__":  # importing the package tree (as the no-Qt check does) must not run the CLI
    run()
