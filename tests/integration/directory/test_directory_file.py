"""Loading the directory from YAML and CSV files, and the errors an operator reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from practice_alerts.directory_file import DirectoryError, load_directory
from practice_alerts.policies.roles import Role

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> str:
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert all(str(path) in line for line in str(caught.value).splitlines())
    return str(caught.value)


def test_example_yaml_loads_with_its_absence() -> None:
    directory = load_directory(EXAMPLES / "directory.yaml")
    sam = directory.person("sam.sample@example.gov.uk")
    assert sam is not None and sam.absences[0].start == dt.date(2026, 12, 14)
    assert directory.cover_for(sam.email, dt.date(2026, 12, 21)).name == "Sky Standin"
    assert [c.name for c in directory.external] == ["CAFCASS Legal", "Morgan Independent"]


def test_example_csv_loads() -> None:
    directory = load_directory(EXAMPLES / "directory.csv")
    alex = directory.person("alex.example@example.gov.uk")
    assert alex.team == "Children in Care North"
    assert [p.name for p in directory.chain_from(alex.email)] == [  # the same people as directory.yaml
        "Alex Example", "Jamie Specimen", "Jo Bloggs", "Sam Sample", "Pat Placeholder", "Chris Demo", "Morgan Mock",
        "Taylor Test", "Robin Dummy",
    ]
    assert directory.person("jo.bloggs@example.gov.uk").roles == [Role.TEAM_MANAGER, Role.PRACTICE_MANAGER]
    cafcass = directory.contact("cafcass.legal@example.org")
    assert cafcass.organisation == "Cafcass" and cafcass.address.startswith("1 Example Street")
    assert directory.cover_for("sam.sample@example.gov.uk", dt.date(2026, 12, 21)).name == "Sky Standin"


def test_csv_with_excel_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(
        "\ufeffname,email,roles\nAnn One,ann@example.gov.uk,iro\n,,\n".encode("utf-8")
    )
    assert load_directory(path).person("ann@example.gov.uk").roles == [Role.IRO]


def test_unknown_role_lists_the_known_roles(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", "people:\n  - {name: Ann One, email: ann@example.gov.uk, roles: [boss]}\n")
    message = problems(path)
    assert "people: person 1 (Ann One): unknown role 'boss'; the known roles are: iro, cp_chair" in message
    assert "team_manager" in message


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.csv",
        "name,email,roles,kind\n"
        "Ann One,ann@example.gov.uk,iro,person\n"
        "Bob Two,not-an-address,team_manager,person\n"
        "Cat Three,cat@example.gov.uk,chief,person\n"
        "Dee Four,dee@example.gov.uk,iro,agency\n",
    )
    message = problems(path)
    assert "line 3 (Bob Two): email: 'not-an-address' is not an e-mail address" in message
    assert "line 4 (Cat Three): unknown role 'chief'" in message
    assert "line 5 (Dee Four): kind 'agency' is not known; write 'person' or 'external'" in message


def test_csv_header_problems(tmp_path: Path) -> None:
    message = problems(write(tmp_path, "d.csv", "full name,email\nAnn,ann@example.gov.uk\n"))
    assert "lacks the column(s) name" in message
    assert "unknown column(s) full name" in message
    assert "the columns are: name, email, roles" in message


def test_whole_directory_problems_come_from_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.yaml",
        "people:\n"
        "  - {name: Ann One, email: ann@example.gov.uk, roles: [social_worker], reports_to: boss@example.gov.uk}\n"
        "  - {name: Ann Again, email: ANN@example.gov.uk, roles: [iro]}\n",
    )
    message = problems(path)
    assert "reports to boss@example.gov.uk, who is not in the directory" in message
    assert "Ann Again has the same e-mail address as Ann One" in message


def test_yaml_shape_problems(tmp_path: Path) -> None:
    assert "unknown section(s) staff" in problems(write(tmp_path, "a.yaml", "staff: []\n"))
    assert "must be a YAML mapping" in problems(write(tmp_path, "b.yaml", "- one\n- two\n"))
    assert "is not valid YAML" in problems(write(tmp_path, "c.yaml", "people: [\n"))
    message = problems(write(tmp_path, "d.yaml", "people:\n  - {name: Ann, emial: ann@example.gov.uk}\n"))
    assert "unknown setting 'emial'" in message and "'email' is missing" in message
    bad_date = "people:\n  - name: Ann\n    email: ann@example.gov.uk\n    absences: [{start: soon, end: 2026-01-02}]\n"
    assert "absences.0.start: 'soon' is not a date; write it as YYYY-MM-DD" in problems(write(tmp_path, "e.yaml", bad_date))


def test_missing_file_and_wrong_extension(tmp_path: Path) -> None:
    assert "no such file" in problems(tmp_path / "nowhere.yaml")
    assert "must be .yaml, .yml or .csv" in problems(write(tmp_path, "d.txt", "name,email\n"))


def test_csv_records_cover_while_someone_is_away(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", (
        "name,email,roles,reports_to,away_from,away_until,cover\n"
        "Sam Sample,sam@example.gov.uk,service_manager,pat@example.gov.uk,2026-12-14,2027-01-08,sky@example.gov.uk\n"
        "Sky Standin,sky@example.gov.uk,service_manager,pat@example.gov.uk,,,\n"
        "Pat Placeholder,pat@example.gov.uk,head_of_service,,2026-12-21,2026-12-21,\n"
    ))
    directory = load_directory(path)
    assert directory.cover_for("sam@example.gov.uk", dt.date(2026, 12, 21)).name == "Sky Standin"
    assert directory.cover_for("sam@example.gov.uk", dt.date(2027, 1, 11)) is None
    # Without a named cover, the line manager acts; Pat has none, so nobody can act on that day.
    assert directory.person("pat@example.gov.uk").absences[0].cover is None


def test_csv_absence_problems_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", (
        "name,email,kind,organisation,away_from,away_until,cover\n"
        "Ann One,ann@example.gov.uk,person,,2026-12-14,,\n"
        "Bob Two,bob@example.gov.uk,person,,2026-12-14,2026-12-01,\n"
        "Cafcass,cafcass@example.org,external,Cafcass,2026-12-14,2026-12-15,\n"
        "Eve Five,eve@example.gov.uk,person,,14/12/2026,2026-12-15,\n"
    ))
    message = problems(path)
    assert "line 2 (Ann One): an absence needs both away_from and away_until" in message
    assert "line 3 (Bob Two)" in message and "ends before it starts" in message
    assert "line 4 (Cafcass): 'away_from' is only for people in the authority" in message
    assert "line 5 (Eve Five): away_from: '14/12/2026' is not a date; write it as YYYY-MM-DD" in message
