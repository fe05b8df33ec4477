"""Settings for the notices people get when their mail is not acted on, and for the digests.

A section of the configuration file (``notices:``); every value has a sensible default, so
a council that says nothing gets duplicate checks over four weeks, a reminder to close a
resolved alert after three working days, the quarantine digest each morning and the weekly
digest on Mondays.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NoticeSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicate_window_days: int = Field(default=28, ge=0, le=366, description="a second form about the same child "
                                       "and concern within this many days is held until the IRO confirms it; 0: off")
    close_reminder_working_days: int = Field(default=3, ge=1, le=60, description="remind the IRO to close a "
                                             "resolved alert after this many working days")
    digest_hour: int = Field(default=7, ge=0, le=23, description="UK hour after which the daily quarantine digest "
                             "and the weekly digest go out")
    quarantine_digest: bool = Field(default=True, description="send LAC admin the morning digest of held mail")
    weekly_digest: bool = Field(default=True, description="send the weekly digest")
    weekly_digest_weekday: int = Field(default=0, ge=0, le=6, description="0 Monday ... 6 Sunday")
    nearing_limit_working_days: int = Field(default=5, ge=0, le=60, description="the weekly digest lists alerts "
                                            "within this many working days of the overall limit")
    tell_line_manager_when_overdue: bool = Field(default=False, description="tell the overdue manager's line "
                                                 "manager even where the procedure does not escalate a late response")
    overall_limit_working_days: int | None = Field(default=None, ge=1, description="the overall limit the weekly "
                                                   "digest measures against, when the policy sets none")
