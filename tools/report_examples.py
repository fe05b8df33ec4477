"""Make the example tracker and quarterly report in examples/reports/ from the sample history.

    .venv/bin/python -m tools.report_examples    (from the repository root)

The history (tools/report_samples.py) is eleven invented alerts raised from July to
December 2026 under Rutland's ladder, with time-outs allowed so that every figure shows, played
through the real workflow with the Exampleshire directory (examples/directory.yaml).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from practice_alerts.directory_file import load_directory
from practice_alerts.policies.load import load_policy
from practice_alerts.policies.time_zone import LONDON
from practice_alerts.reports.build import write_quarterly, write_tracker
from practice_alerts.reports.periods import Quarter
from practice_alerts.workflow.calendar import WorkingCalendar
from tools.report_samples import rutland_with_time_outs, sample_histories

HERE = Path(__file__).resolve().parent.parent / "examples" / "reports"
AS_OF = dt.datetime(2026, 12, 31, 23, 0, tzinfo=LONDON)


def main() -> None:
    policy = rutland_with_time_outs(load_policy("rutland"))
    directory = load_directory(HERE.parent / "directory.yaml")
    calendar = WorkingCalendar.for_policy(policy)
    histories = sample_histories(policy, directory, calendar)
    write_tracker(histories, policy, directory, calendar, AS_OF, HERE / "tracker.xlsx")
    write_tracker(histories, policy, directory, calendar, AS_OF, HERE / "tracker-pseudonymised.csv", as_csv=True,
                  pseudonymise=True)
    result = write_quarterly(histories, policy, directory, calendar, Quarter.parse("2026-Q4"), HERE / "2026-Q4")
    print(f"Wrote {HERE / 'tracker.xlsx'}, {HERE / 'tracker-pseudonymised.csv'}, {result.docx} and {result.xlsx}.")


if __name__ == "__main__":
    main()
