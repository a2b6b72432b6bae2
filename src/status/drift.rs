//! Drift findings: the places where a page's claims (a status, a stated total, a table's total
//! row) disagree with its own evidence (its tasks, the items listed beneath).

use super::classify::{fmt_hours, fmt_number};
use super::extract::{Block, Claim};
use super::item::{Finding, FindingKind, Tasks};
use super::page::Builder;
use super::vocab::Status;

impl Builder<'_> {
    pub(super) fn drift(&mut self, line: u32, anchor: Option<&str>, message: String) {
        let url = self.url(anchor);
        self.findings.push(Finding {
            kind: FindingKind::Drift,
            path: self.input.display.to_string(),
            line,
            message,
            url,
        });
    }

    pub(super) fn status_claim_drift(
        &mut self,
        claimed: Option<Status>,
        tasks: Tasks,
        line: u32,
        anchor: Option<&str>,
        what: &str,
    ) {
        if tasks.total == 0 {
            return;
        }
        match claimed {
            Some(Status::Done) if tasks.done < tasks.total => self.drift(
                line,
                anchor,
                format!(
                    "{what} is marked done but {} of {} tasks are unchecked",
                    tasks.total - tasks.done,
                    tasks.total
                ),
            ),
            Some(Status::Planned) if tasks.done == tasks.total => self.drift(
                line,
                anchor,
                if tasks.total == 1 {
                    format!("{what} is marked not started but its only task is checked")
                } else {
                    format!("{what} is marked not started but all {} tasks are checked", tasks.total)
                },
            ),
            _ => {}
        }
    }

    pub(super) fn total_drift(&mut self, total: &Claim, sum: f64, anchor: Option<&str>) {
        if (total.value - sum).abs() > 0.01 {
            self.drift(
                self.line(total.line),
                anchor,
                format!(
                    "`{}` states {} but the items it totals add up to {}",
                    total.text,
                    fmt_hours(total.value),
                    fmt_hours(sum)
                ),
            );
        }
    }

    pub(super) fn table_drift(&mut self, block: &Block, anchor: Option<&str>) {
        for t in block.table_totals.clone() {
            if (t.stated - t.computed).abs() > 0.005 {
                self.drift(
                    self.line(t.line),
                    anchor,
                    format!(
                        "the total row states {} for “{}” but the rows above it add up to {}",
                        fmt_number(t.stated),
                        t.column,
                        fmt_number(t.computed)
                    ),
                );
            }
        }
    }
}
