"""Write-side operations of the question bank: questions, versions, import."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from courses.models import Competence, CompetencyFramework
from lms.audit import audit_record
from lms.uploads import sniff_type

from ..bank_io import content_from_imported, split_tags
from ..interchange import InterchangeError, SkippedQuestion, parse_gift, parse_moodle_xml
from ..models import Question, QuestionCategory, QuestionVersion

DEFAULT_IMPORT_CATEGORY = "Imported"


@transaction.atomic
def question_category_get_or_create(*, name: str) -> QuestionCategory:
    """The category with this path, created if needed (blanks around "/" are tidied)."""
    name = "/".join(part.strip() for part in name.split("/") if part.strip())
    if not name:
        raise ValidationError(_("A category needs a name."))
    category = QuestionCategory.objects.filter(name=name).first()
    if category is None:
        category = QuestionCategory(name=name)
        category.full_clean()
        category.save()
    return category


@transaction.atomic
def question_version_record(*, question: Question, content: dict, actor=None) -> QuestionVersion:
    """Make ``content`` the question's current content, as a new version if it changed.

    Versions are never edited: attempts keep pointing at the version they showed, so an edit
    cannot change a score already given. Returns the current version (new or unchanged).
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_version
    if current is not None and current.content == content:
        return current
    number = (question.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = QuestionVersion(question=question, number=number, content=content, created_by=actor)
    version.full_clean()
    version.save()
    Question.objects.filter(pk=question.pk).update(current_version=version, qtype=content["qtype"])
    return version


@transaction.atomic
def question_create(
    *,
    category: QuestionCategory,
    name: str,
    content: dict,
    competences: list[Competence] | None = None,
    actor=None,
) -> Question:
    """Add a question to the bank with its first version."""
    question = Question(category=category, name=name.strip()[:255], qtype=content["qtype"])
    question.full_clean()
    question.save()
    if competences:
        question.competences.set(competences)
    version = question_version_record(question=question, content=content, actor=actor)
    question.current_version = version
    return question


@dataclass
class ImportedRow:
    name: str
    qtype: str
    category: str
    location: str


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    file_format: str
    dry_run: bool
    imported: list[ImportedRow] = field(default_factory=list)
    unchanged: list[ImportedRow] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)
    unknown_competences: list[str] = field(default_factory=list)


FORMAT_LABELS = {"moodle_xml": "Moodle XML", "gift": "GIFT"}


def bank_file_format(data: bytes) -> str:
    """ "moodle_xml" or "gift", recognised by content; ValidationError for anything else."""
    kind = sniff_type(data)
    if kind == "xml":
        return "moodle_xml"
    if kind == "text":
        return "gift"
    raise ValidationError(
        _("This is not a Moodle XML or GIFT question file (it looks like %(kind)s).")
        % {"kind": kind}
    )


class _DryRunRollback(Exception):
    pass


def question_bank_import(
    *,
    data: bytes,
    category_name: str | None = None,
    dry_run: bool = False,
    actor=None,
) -> ImportReport:
    """Import a Moodle XML or GIFT question bank, all or nothing.

    Every supported question is imported with its feedback into its category from the file
    (or into ``category_name`` when given; questions without a category go to "Imported").
    Questions that cannot be imported are listed with the reason; a question identical to one
    already in the same category is listed as unchanged and not imported twice. A malformed
    file raises ``ValidationError`` saying where it broke, and nothing is written. A dry run
    reports the same without writing anything.
    """
    file_format = bank_file_format(data)
    try:
        result = parse_moodle_xml(data) if file_format == "moodle_xml" else parse_gift(data)
    except InterchangeError as error:
        raise ValidationError(
            _("The %(format)s file is malformed, so nothing was imported. %(where)s")
            % {"format": FORMAT_LABELS[file_format], "where": str(error)}
        ) from None
    report = ImportReport(file_format=file_format, dry_run=dry_run, skipped=list(result.skipped))
    try:
        with transaction.atomic():
            _import_questions(result.questions, report, category_name, actor)
            if dry_run:
                raise _DryRunRollback
            if report.imported:
                audit_record(
                    action="question_bank.imported",
                    actor=actor,
                    imported=len(report.imported),
                    skipped=len(report.skipped),
                    format=file_format,
                )
    except _DryRunRollback:
        pass
    return report


def _import_questions(questions, report: ImportReport, category_name, actor) -> None:
    framework = CompetencyFramework.objects.filter(is_default=True).first()
    competences_by_code = (
        {c.code: c for c in Competence.objects.filter(framework=framework)} if framework else {}
    )
    categories: dict[str, QuestionCategory] = {}
    for number, imported in enumerate(questions, start=1):
        path = category_name or imported.category or DEFAULT_IMPORT_CATEGORY
        if path not in categories:
            categories[path] = question_category_get_or_create(name=path)
        category = categories[path]
        content = content_from_imported(imported)
        codes, _tags = split_tags(imported.tags)
        location = f"question {number}" + (
            f" (line {imported.source_line})" if imported.source_line else ""
        )
        row = ImportedRow(imported.name, imported.qtype, category.name, location)
        # Compared in Python: JSON equality in SQL differs between databases.
        same_name = Question.objects.filter(
            category=category, name=imported.name.strip()[:255]
        ).select_related("current_version")
        if any(q.current_version and q.current_version.content == content for q in same_name):
            report.unchanged.append(row)
            continue
        competences = []
        for code in codes:
            if code in competences_by_code:
                competences.append(competences_by_code[code])
            elif code not in report.unknown_competences:
                report.unknown_competences.append(code)
        question_create(
            category=category,
            name=imported.name,
            content=content,
            competences=competences,
            actor=actor,
        )
        report.imported.append(row)


@transaction.atomic
def question_update(
    *,
    question: Question,
    content: dict,
    competences: list[Competence] | None = None,
    actor=None,
) -> Question:
    """Save a question's bank fields (already set on ``question``) and record its content.

    A changed content becomes a new version; attempts keep the version they showed.
    """
    question.full_clean(exclude=["qtype"])
    question.save()
    if competences is not None:
        question.competences.set(competences)
    version = question_version_record(question=question, content=content, actor=actor)
    question.current_version = version
    question.qtype = version.content["qtype"]
    return question
