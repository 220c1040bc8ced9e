"""Reading a competency framework from a CSV or JSON file, checking every row before anything is
written. ``framework_import`` in ``courses.services`` writes what this returns.

The file formats are documented in ``docs/frameworks.md`` and in ``import_framework --help``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Competence, CompetenceArea, CompetencyFramework, ProficiencyLevel

CSV_KINDS = ("framework", "area", "competence", "level")
CSV_REQUIRED_COLUMNS = ("kind", "code", "name")
CSV_OPTIONAL_COLUMNS = ("area", "group", "description", "version", "source_url")


@dataclass
class AreaData:
    code: str
    name: str
    description: str = ""


@dataclass
class CompetenceData:
    code: str
    name: str
    area_code: str
    description: str = ""


@dataclass
class LevelData:
    number: int
    name: str
    group: str = ""
    description: str = ""


@dataclass
class FrameworkData:
    """A whole framework, checked and ready to write."""

    name: str = ""
    slug: str = ""
    version: str = ""
    description: str = ""
    source_url: str = ""
    areas: list[AreaData] = field(default_factory=list)
    competences: list[CompetenceData] = field(default_factory=list)
    levels: list[LevelData] = field(default_factory=list)


class FrameworkFileError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found, with where it is."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def framework_parse_file(path: str | Path) -> FrameworkData:
    """Read and check a framework file (``.csv`` or ``.json``); raise FrameworkFileError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkFileError([_("Cannot read %(path)s: %(error)s") % _fmt(path, exc)]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError([_("The file is not UTF-8 text.")]) from exc
    suffix = path.suffix.lower()
    if suffix == ".json":
        return framework_parse_json(text)
    if suffix == ".csv":
        return framework_parse_csv(text)
    raise FrameworkFileError(
        [_("Unknown file type %(suffix)r: use a .csv or .json file.") % {"suffix": suffix}]
    )


def _fmt(path, exc) -> dict:
    return {"path": str(path), "error": exc}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# --- JSON ------------------------------------------------------------------------------------


def framework_parse_json(text: str) -> FrameworkData:
    """Parse the JSON format: ``{"name", "areas": [{"code", "name", "competences": [...]}],
    "levels": [{"number", "name", "group"}]}``; see docs/frameworks.md."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(
            [
                _("Not valid JSON: %(error)s (line %(line)d).")
                % {"error": exc.msg, "line": exc.lineno}
            ]
        ) from exc
    if not isinstance(document, dict):
        raise FrameworkFileError([_("The JSON file must hold one object, {…}, at the top.")])
    errors: list[str] = []
    data = FrameworkData(
        name=_text(document.get("name") or document.get("framework")),
        slug=_text(document.get("slug")),
        version=_text(document.get("version")),
        description=_text(document.get("description")),
        source_url=_text(document.get("source_url")),
    )
    areas = document.get("areas")
    if not isinstance(areas, list):
        errors.append(_("areas: a list of competence areas is required."))
        areas = []
    for a_index, area in enumerate(areas):
        where = f"areas[{a_index}]"
        if not isinstance(area, dict):
            errors.append(_("%(where)s: must be an object.") % {"where": where})
            continue
        data.areas.append(
            AreaData(
                code=_text(area.get("code")),
                name=_text(area.get("name")),
                description=_text(area.get("description")),
            )
        )
        competences = area.get("competences", [])
        if not isinstance(competences, list):
            errors.append(_("%(where)s.competences: must be a list.") % {"where": where})
            continue
        for c_index, comp in enumerate(competences):
            if not isinstance(comp, dict):
                errors.append(
                    _("%(where)s: must be an object.")
                    % {"where": f"{where}.competences[{c_index}]"}
                )
                continue
            data.competences.append(
                CompetenceData(
                    code=_text(comp.get("code")),
                    name=_text(comp.get("name")),
                    area_code=_text(area.get("code")),
                    description=_text(comp.get("description")),
                )
            )
    levels = document.get("levels", document.get("proficiency_levels"))
    if not isinstance(levels, list):
        errors.append(_("levels: a list of proficiency levels is required."))
        levels = []
    level_rows = []
    for l_index, level in enumerate(levels):
        where = f"levels[{l_index}]"
        if not isinstance(level, dict):
            errors.append(_("%(where)s: must be an object.") % {"where": where})
            continue
        level_rows.append(
            (
                where,
                level.get("number", level.get("level")),
                _text(level.get("name")),
                _text(level.get("group") or level.get("band")),
                _text(level.get("description")),
            )
        )
    data.levels = _parse_levels(level_rows, errors)
    errors.extend(
        _check(
            data,
            area_where=lambda i: f"areas[{i}]",
            competence_where=lambda i: _json_competence_where(data, i),
            level_where=lambda i: f"levels[{i}]",
            framework_where="name",
        )
    )
    if errors:
        raise FrameworkFileError(errors)
    return data


def _json_competence_where(data: FrameworkData, index: int) -> str:
    comp = data.competences[index]
    area_index = next((i for i, a in enumerate(data.areas) if a.code == comp.area_code), "?")
    position = sum(1 for c in data.competences[:index] if c.area_code == comp.area_code)
    return f"areas[{area_index}].competences[{position}]"


# --- CSV -------------------------------------------------------------------------------------


def framework_parse_csv(text: str) -> FrameworkData:
    """Parse the CSV format: one row per framework / area / competence / level, told apart by
    the ``kind`` column; see docs/frameworks.md."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(_text(h)).lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FrameworkFileError(
            [
                _("Row 1 (header): missing column(s) %(columns)s. Expected: %(expected)s.")
                % {
                    "columns": ", ".join(missing),
                    "expected": ", ".join(CSV_REQUIRED_COLUMNS + CSV_OPTIONAL_COLUMNS),
                }
            ]
        )
    unknown = [c for c in header if c and c not in CSV_REQUIRED_COLUMNS + CSV_OPTIONAL_COLUMNS]
    if unknown:
        raise FrameworkFileError(
            [_("Row 1 (header): unknown column(s) %(columns)s.") % {"columns": ", ".join(unknown)}]
        )
    reader.fieldnames = header
    errors: list[str] = []
    data = FrameworkData()
    rows_of = {"area": [], "competence": [], "level": []}
    framework_rows = []
    level_rows = []
    for row_number, row in enumerate(reader, start=2):
        if None in row:
            errors.append(_("Row %(row)d: more values than columns.") % {"row": row_number})
            continue
        row = {key: _text(value) for key, value in row.items()}
        if not any(row.values()):
            continue  # blank line
        kind = row.get("kind", "").lower()
        if kind not in CSV_KINDS:
            errors.append(
                _("Row %(row)d, field 'kind': %(value)r is not one of %(kinds)s.")
                % {"row": row_number, "value": row.get("kind", ""), "kinds": ", ".join(CSV_KINDS)}
            )
            continue
        if kind == "framework":
            framework_rows.append(row_number)
            data.name = row.get("name", "")
            data.slug = row.get("code", "")
            data.version = row.get("version", "")
            data.description = row.get("description", "")
            data.source_url = row.get("source_url", "")
        elif kind == "area":
            rows_of["area"].append(row_number)
            data.areas.append(
                AreaData(row.get("code", ""), row.get("name", ""), row.get("description", ""))
            )
        elif kind == "competence":
            rows_of["competence"].append(row_number)
            data.competences.append(
                CompetenceData(
                    row.get("code", ""),
                    row.get("name", ""),
                    row.get("area", ""),
                    row.get("description", ""),
                )
            )
        else:
            level_rows.append(
                (
                    _("Row %(row)d") % {"row": row_number},
                    row.get("code", ""),
                    row.get("name", ""),
                    row.get("group", ""),
                    row.get("description", ""),
                )
            )
    if len(framework_rows) != 1:
        errors.append(
            _("Exactly one row of kind 'framework' is needed (found %(count)d).")
            % {"count": len(framework_rows)}
        )
    data.levels = _parse_levels(level_rows, errors, field_name="code")
    if framework_rows:
        errors.extend(
            _check(
                data,
                area_where=lambda i: _("Row %(row)d") % {"row": rows_of["area"][i]},
                competence_where=lambda i: _("Row %(row)d") % {"row": rows_of["competence"][i]},
                level_where=lambda i: level_rows[i][0],
                framework_where=_("Row %(row)d") % {"row": framework_rows[0]},
                slug_field="code",
            )
        )
    if errors:
        raise FrameworkFileError(errors)
    return data


# --- Shared checks ---------------------------------------------------------------------------


def _parse_levels(rows, errors: list[str], field_name: str = "number") -> list[LevelData]:
    levels = []
    for where, number, name, group, description in rows:
        try:
            value = int(str(number).strip())
            if value < 1 or value > 32767:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(
                _("%(where)s, field '%(field)s': %(value)r is not a whole number of 1 or more.")
                % {"where": where, "field": field_name, "value": number}
            )
            value = None
        levels.append(LevelData(number=value, name=name, group=group, description=description))
    return levels


def _check(
    data: FrameworkData,
    *,
    area_where,
    competence_where,
    level_where,
    framework_where: str,
    slug_field: str = "slug",
) -> list[str]:
    errors: list[str] = []

    def need(where: str, field_name: str, value: str, model, model_field: str) -> None:
        if not value:
            errors.append(
                _("%(where)s, field '%(field)s': required.") % {"where": where, "field": field_name}
            )
        elif len(value) > _max_length(model, model_field):
            errors.append(
                _("%(where)s, field '%(field)s': longer than %(max)d characters.")
                % {
                    "where": where,
                    "field": field_name,
                    "max": _max_length(model, model_field),
                }
            )

    need(framework_where, "name", data.name, CompetencyFramework, "name")
    if not data.slug:
        data.slug = slugify(data.name)[: _max_length(CompetencyFramework, "slug")]
    if data.slug != slugify(data.slug):
        errors.append(
            _("%(where)s, field '%(field)s': %(value)r may only hold letters, digits and hyphens.")
            % {"where": framework_where, "field": slug_field, "value": data.slug}
        )
    if len(data.version) > _max_length(CompetencyFramework, "version"):
        errors.append(_("%(where)s, field 'version': too long.") % {"where": framework_where})
    if data.name and CompetencyFramework.objects.filter(name=data.name).exists():
        errors.append(
            _("%(where)s, field 'name': a framework called %(name)r already exists.")
            % {"where": framework_where, "name": data.name}
        )
    if data.slug and CompetencyFramework.objects.filter(slug=data.slug).exists():
        errors.append(
            _("%(where)s, field '%(field)s': a framework with slug %(slug)r already exists.")
            % {"where": framework_where, "field": slug_field, "slug": data.slug}
        )

    if not data.areas:
        errors.append(_("The framework has no competence areas."))
    if not data.competences:
        errors.append(_("The framework has no competences."))
    if not data.levels:
        errors.append(_("The framework has no proficiency levels."))

    area_codes: set[str] = set()
    for index, area in enumerate(data.areas):
        where = area_where(index)
        need(where, "code", area.code, CompetenceArea, "code")
        need(where, "name", area.name, CompetenceArea, "name")
        if area.code and area.code in area_codes:
            errors.append(
                _("%(where)s, field 'code': area %(code)r appears twice.")
                % {"where": where, "code": area.code}
            )
        area_codes.add(area.code)

    competence_codes: set[str] = set()
    for index, comp in enumerate(data.competences):
        where = competence_where(index)
        need(where, "code", comp.code, Competence, "code")
        need(where, "name", comp.name, Competence, "name")
        if comp.code and comp.code in competence_codes:
            errors.append(
                _("%(where)s, field 'code': competence %(code)r appears twice.")
                % {"where": where, "code": comp.code}
            )
        competence_codes.add(comp.code)
        if not comp.area_code:
            errors.append(_("%(where)s, field 'area': required.") % {"where": where})
        elif comp.area_code not in area_codes:
            errors.append(
                _("%(where)s, field 'area': no area with code %(code)r.")
                % {"where": where, "code": comp.area_code}
            )

    numbers: set[int] = set()
    for index, level in enumerate(data.levels):
        where = level_where(index)
        if not level.name and level.number is not None:
            level.name = _("Level %(number)d") % {"number": level.number}
        need(where, "name", level.name, ProficiencyLevel, "name")
        if len(level.group) > _max_length(ProficiencyLevel, "group"):
            errors.append(_("%(where)s, field 'group': too long.") % {"where": where})
        if level.number is not None:
            if level.number in numbers:
                errors.append(
                    _("%(where)s: level %(number)d appears twice.")
                    % {"where": where, "number": level.number}
                )
            numbers.add(level.number)
    return errors
