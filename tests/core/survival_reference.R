# The reference for tace_log/analysis/survival.py: R's survival package on the same cohorts.
#   Rscript survival_reference.R COHORTS.csv      (columns cohort, time, status, group; the groups' order is their
#                                                  names' order, the first the reference)
# writes one tab-separated row per figure on stdout, numbers with 17 digits, NA where R has none:
#   step CO G time n.risk n.event n.censor surv lower upper     every step of each group's survfit
#   median CO G median lcl ucl                                   print.survfit's (summary(fit)$table)
#   at CO G months surv lower upper                              summary(fit, times =, extend = FALSE)
#   logrank CO chisq df p                                        survdiff (NA where R refuses: singular variance)
#   cox CO G coef hr lower upper p warned                        coxph, Efron ties; warned: R said it may not exist
#   followup CO median lcl ucl                                   the reverse Kaplan-Meier's median
suppressPackageStartupMessages(library(survival))
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
say <- function(...) cat(paste(..., sep = "\t"), "\n", sep = "")
data <- read.csv(commandArgs(trailingOnly = TRUE)[1], colClasses = c("character", "numeric", "integer", "character"))
for (co in unique(data$cohort)) {
    x <- data[data$cohort == co, ]
    x$group <- factor(x$group)
    for (g in levels(x$group)) {
        f <- survfit(Surv(time, status) ~ 1, data = x[x$group == g, ])
        for (i in seq_along(f$time)) {
            say("step", co, g, num(f$time[i]), f$n.risk[i], f$n.event[i], f$n.censor[i], num(f$surv[i]),
                num(f$lower[i]), num(f$upper[i]))
        }
        tab <- summary(f)$table
        say("median", co, g, num(tab["median"]), num(tab["0.95LCL"]), num(tab["0.95UCL"]))
        for (months in c(12, 24, 36)) {
            s <- tryCatch(summary(f, times = months * 30.4375, extend = FALSE), error = function(e) NULL)
            if (is.null(s) || length(s$surv) == 0) say("at", co, g, months, "NA", "NA", "NA")
            else say("at", co, g, months, num(s$surv), num(s$lower), num(s$upper))
        }
    }
    if (nlevels(x$group) > 1) {
        d <- tryCatch(survdiff(Surv(time, status) ~ group, data = x), error = function(e) NULL)
        if (is.null(d)) say("logrank", co, "NA", "NA", "NA")
        else say("logrank", co, num(d$chisq), sum(d$exp > 0) - 1, num(d$pvalue))
        warned <- FALSE
        fit <- tryCatch(withCallingHandlers(coxph(Surv(time, status) ~ group, data = x, ties = "efron"),
                                            warning = function(w) {
                                                warned <<- TRUE
                                                invokeRestart("muffleWarning")
                                            }),
                        error = function(e) NULL)
        for (g in levels(x$group)[-1]) {
            name <- paste0("group", g)
            if (is.null(fit) || is.na(coef(fit)[name])) {
                say("cox", co, g, "NA", "NA", "NA", "NA", "NA", "TRUE")
            } else {
                b <- coef(fit)[name]
                se <- sqrt(diag(vcov(fit)))[name]
                z <- qnorm(0.975)
                say("cox", co, g, num(b), num(exp(b)), num(exp(b - z * se)), num(exp(b + z * se)),
                    num(summary(fit)$coefficients[name, 5]), warned)
            }
        }
    }
    r <- summary(survfit(Surv(time, 1 - status) ~ 1, data = x))$table
    say("followup", co, num(r["median"]), num(r["0.95LCL"]), num(r["0.95UCL"]))
}
