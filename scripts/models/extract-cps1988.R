# Extracts AER::CPS1988 to data/cps1988/cps1988.csv.
# Run once from the repository root: Rscript scripts/models/extract-cps1988.R
# Needs Debian r-base-core and r-cran-aer; the committed CSV means nobody else needs R.
data("CPS1988", package = "AER")
stopifnot(nrow(CPS1988) == 28155)
out <- "data/cps1988/cps1988.csv"
# Factors are written as their level labels; row names (survey ids) are dropped.
write.csv(CPS1988, out, row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %d rows to %s (AER %s); median wage %.2f\n",
            nrow(CPS1988), out, as.character(packageVersion("AER")), median(CPS1988$wage)))
