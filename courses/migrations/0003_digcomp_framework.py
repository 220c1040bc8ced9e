"""Load the European DigComp 2.2 framework: 5 areas, 21 competences, 8 proficiency levels.

The facts are copied here (from the JRC publication, via shared/data/digcomp-2.2.json) so the
migration never reads a file at run time. Idempotent: running it on a database that already has
the framework updates names in place and creates nothing twice.
"""

from django.db import migrations

FRAMEWORK = {
    "slug": "digcomp-2-2",
    "name": "DigComp 2.2",
    "version": "2.2",
    "description": (
        "DigComp 2.2 — The Digital Competence Framework for Citizens (European Commission, "
        "Joint Research Centre, 2022)."
    ),
    "source_url": "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415",
}

AREAS = [
    (
        "1",
        "Information and data literacy",
        [
            ("1.1", "Browsing, searching and filtering data, information and digital content"),
            ("1.2", "Evaluating data, information and digital content"),
            ("1.3", "Managing data, information and digital content"),
        ],
    ),
    (
        "2",
        "Communication and collaboration",
        [
            ("2.1", "Interacting through digital technologies"),
            ("2.2", "Sharing through digital technologies"),
            ("2.3", "Engaging in citizenship through digital technologies"),
            ("2.4", "Collaborating through digital technologies"),
            ("2.5", "Netiquette"),
            ("2.6", "Managing digital identity"),
        ],
    ),
    (
        "3",
        "Digital content creation",
        [
            ("3.1", "Developing digital content"),
            ("3.2", "Integrating and re-elaborating digital content"),
            ("3.3", "Copyright and licences"),
            ("3.4", "Programming"),
        ],
    ),
    (
        "4",
        "Safety",
        [
            ("4.1", "Protecting devices"),
            ("4.2", "Protecting personal data and privacy"),
            ("4.3", "Protecting health and well-being"),
            ("4.4", "Protecting the environment"),
        ],
    ),
    (
        "5",
        "Problem solving",
        [
            ("5.1", "Solving technical problems"),
            ("5.2", "Identifying needs and technological responses"),
            ("5.3", "Creatively using digital technologies"),
            ("5.4", "Identifying digital competence gaps"),
        ],
    ),
]

# (level, group, description: complexity of tasks · autonomy · cognitive domain)
LEVELS = [
    (1, "Foundation", "Simple tasks, with guidance. Remembering."),
    (2, "Foundation", "Simple tasks, on my own and with guidance where needed. Remembering."),
    (3, "Intermediate", "Well-defined and routine tasks, and straightforward problems, on my own. Understanding."),
    (4, "Intermediate", "Tasks, and well-defined and non-routine problems, independently and according to my needs. Understanding."),
    (5, "Advanced", "Different tasks and problems, guiding others. Applying."),
    (6, "Advanced", "The most appropriate tasks, able to adapt to others in a complex context. Evaluating."),
    (7, "Highly specialised", "Resolving complex problems with limited solutions, integrating to contribute to professional practice and guide others. Creating."),
    (8, "Highly specialised", "Resolving complex problems with many interacting factors, proposing new ideas and processes to the field. Creating."),
]


def load_digcomp(apps, schema_editor):
    Framework = apps.get_model("courses", "CompetencyFramework")
    Area = apps.get_model("courses", "CompetenceArea")
    Competence = apps.get_model("courses", "Competence")
    Level = apps.get_model("courses", "ProficiencyLevel")

    has_default = Framework.objects.filter(is_default=True).exclude(slug=FRAMEWORK["slug"]).exists()
    framework, _ = Framework.objects.update_or_create(
        slug=FRAMEWORK["slug"],
        defaults={
            "name": FRAMEWORK["name"],
            "version": FRAMEWORK["version"],
            "description": FRAMEWORK["description"],
            "source_url": FRAMEWORK["source_url"],
            "is_default": not has_default,
        },
    )
    for area_order, (area_code, area_name, competences) in enumerate(AREAS, start=1):
        area, _ = Area.objects.update_or_create(
            framework=framework,
            code=area_code,
            defaults={"name": area_name, "sort_order": area_order},
        )
        for comp_order, (code, name) in enumerate(competences, start=1):
            Competence.objects.update_or_create(
                framework=framework,
                code=code,
                defaults={"area": area, "name": name, "sort_order": area_order * 10 + comp_order},
            )
    for number, group, description in LEVELS:
        Level.objects.update_or_create(
            framework=framework,
            number=number,
            defaults={
                "name": f"{group} {number}",
                "group": group,
                "description": description,
            },
        )


def unload_digcomp(apps, schema_editor):
    apps.get_model("courses", "CompetencyFramework").objects.filter(
        slug=FRAMEWORK["slug"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_initial"),
    ]

    operations = [migrations.RunPython(load_digcomp, unload_digcomp)]
