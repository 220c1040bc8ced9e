"""The DigComp 2.2 data migration and importing other frameworks."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from courses.models import Competence, CompetenceArea, CompetencyFramework, ProficiencyLevel

pytestmark = pytest.mark.django_db

VALID = {
    "name": "City digital skills",
    "version": "1.0",
    "areas": [
        {
            "code": "A",
            "name": "Working with residents online",
            "competences": [
                {"code": "A.1", "name": "Answering residents by email"},
                {"code": "A.2", "name": "Video calls with residents"},
            ],
        }
    ],
    "levels": [
        {"number": 1, "name": "Aware", "group": "Foundation"},
        {"number": 2, "name": "Practising", "group": "Foundation"},
    ],
}


def test_digcomp_is_loaded_by_the_migration():
    framework = CompetencyFramework.objects.get(slug="digcomp-2-2")
    assert framework.is_default
    assert CompetenceArea.objects.filter(framework=framework).count() == 5
    codes = list(
        Competence.objects.filter(framework=framework)
        .order_by("sort_order")
        .values_list("code", flat=True)
    )
    assert len(codes) == 21
    assert codes[:3] == ["1.1", "1.2", "1.3"]
    assert codes[-1] == "5.4"
    assert Competence.objects.get(framework=framework, code="4.2").name == (
        "Protecting personal data and privacy"
    )
    levels = ProficiencyLevel.objects.filter(framework=framework).order_by("number")
    assert [level.number for level in levels] == list(range(1, 9))
    assert [level.group for level in levels] == [
        "Foundation",
        "Foundation",
        "Intermediate",
        "Intermediate",
        "Advanced",
        "Advanced",
        "Highly specialised",
        "Highly specialised",
    ]


def test_import_json(tmp_path):
    path = tmp_path / "city.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    call_command("import_framework", str(path))
    framework = CompetencyFramework.objects.get(name="City digital skills")
    assert framework.slug == "city-digital-skills"
    assert not framework.is_default  # DigComp stays the default
    assert framework.competences.count() == 2
    assert framework.competences.get(code="A.2").area.code == "A"
    assert framework.levels.count() == 2


def test_import_csv_as_default(tmp_path):
    path = tmp_path / "city.csv"
    path.write_text(
        "kind,code,name,area,group,description,version,source_url\n"
        "framework,city,City digital skills,,,Ours.,1.0,\n"
        "area,A,Working with residents online,,,,,\n"
        "competence,A.1,Answering residents by email,A,,,,\n"
        "level,1,Aware,,Foundation,,,\n",
        encoding="utf-8",
    )
    call_command("import_framework", str(path), "--default")
    framework = CompetencyFramework.objects.get(slug="city")
    assert framework.is_default
    assert CompetencyFramework.objects.filter(is_default=True).count() == 1


def test_malformed_csv_reports_rows_and_fields_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "kind,code,name,area\n"
        "framework,,Broken,\n"
        "area,A,Area A,\n"
        "competence,A.1,,B\n"
        "level,x,Basic,\n"
        "widget,1,Odd,\n",
        encoding="utf-8",
    )
    before = CompetencyFramework.objects.count()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_framework", str(path))
    message = str(excinfo.value)
    assert "nothing was imported" in message
    assert "Row 4, field 'name': required." in message
    assert "Row 4, field 'area': no area with code 'B'." in message
    assert "Row 5, field 'code': 'x' is not a whole number" in message
    assert "Row 6, field 'kind'" in message
    assert CompetencyFramework.objects.count() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "Not valid JSON"),
        ("[]", "must hold one object"),
        (json.dumps({**VALID, "name": "DigComp 2.2"}), "already exists"),
        (
            json.dumps({**VALID, "levels": [{"number": 1, "name": "A"}, {"number": 1}]}),
            "level 1 appears twice",
        ),
        (json.dumps({**VALID, "areas": []}), "no competence areas"),
    ],
)
def test_malformed_json_is_refused(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=expected):
        call_command("import_framework", str(path))
    assert not CompetencyFramework.objects.filter(name="City digital skills").exists()


def test_unknown_file_type(tmp_path):
    path = tmp_path / "framework.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(CommandError, match="use a .csv or .json file"):
        call_command("import_framework", str(path))
