"""The demo municipality's organisation: departments, job roles, 200+ staff, one sign-in per role.

Deterministic (a fixed random seed) and idempotent: every object is looked up by a natural key
before it is created, so running the seed twice creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model

from .models import Department, JobRole, RoleFamily, StaffProfile
from .roles import Role
from .services import staff_create

User = get_user_model()

# (name, code, parent name or None)
DEPARTMENTS = [
    ("Office of the City Manager", "CMO", None),
    ("Community Services", "CS", None),
    ("Corporate Services", "CORP", None),
    ("Permits & Licensing", "PL", "Community Services"),
    ("Building Permits Counter", "PL-BPC", "Permits & Licensing"),
    ("Business & Animal Licensing", "PL-BAL", "Permits & Licensing"),
    ("Parks & Recreation", "PR", "Community Services"),
    ("Recreation Bookings", "PR-RB", "Parks & Recreation"),
    ("City Clerk", "CLK", "Office of the City Manager"),
    ("Finance", "FIN", "Corporate Services"),
    ("311 Contact Centre", "311", "Community Services"),
    ("Public Works", "PW", "Community Services"),
    ("Information Technology", "IT", "Corporate Services"),
    ("Human Resources", "HR", "Corporate Services"),
    ("Digital Transformation Office", "DTO", "Office of the City Manager"),
]

# (name, family, departments where this job exists)
JOB_ROLES = [
    ("Permit Technician", RoleFamily.FRONTLINE, ["Building Permits Counter"]),
    ("Permit Counter Supervisor", RoleFamily.SUPERVISOR, ["Building Permits Counter"]),
    ("Licensing Clerk", RoleFamily.FRONTLINE, ["Business & Animal Licensing"]),
    ("Building Inspector", RoleFamily.SPECIALIST, ["Permits & Licensing"]),
    ("Recreation Programmer", RoleFamily.FRONTLINE, ["Parks & Recreation"]),
    ("Bookings Coordinator", RoleFamily.FRONTLINE, ["Recreation Bookings"]),
    ("Park Maintenance Worker", RoleFamily.FRONTLINE, ["Parks & Recreation"]),
    ("Deputy City Clerk", RoleFamily.SPECIALIST, ["City Clerk"]),
    ("Records Clerk", RoleFamily.FRONTLINE, ["City Clerk"]),
    ("Accounts Payable Clerk", RoleFamily.FRONTLINE, ["Finance"]),
    ("Financial Analyst", RoleFamily.SPECIALIST, ["Finance"]),
    ("311 Customer Service Agent", RoleFamily.FRONTLINE, ["311 Contact Centre"]),
    ("311 Team Lead", RoleFamily.SUPERVISOR, ["311 Contact Centre"]),
    ("Public Works Dispatcher", RoleFamily.FRONTLINE, ["Public Works"]),
    ("Crew Supervisor", RoleFamily.SUPERVISOR, ["Public Works"]),
    ("Systems Analyst", RoleFamily.IT, ["Information Technology"]),
    ("Service Desk Technician", RoleFamily.IT, ["Information Technology"]),
    ("HR Generalist", RoleFamily.SPECIALIST, ["Human Resources"]),
    ("Learning & Development Officer", RoleFamily.SPECIALIST, ["Human Resources"]),
    ("Change Manager", RoleFamily.SPECIALIST, ["Digital Transformation Office"]),
    ("Department Director", RoleFamily.MANAGER, []),
]

FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Wei",
    "José",
    "Emily",
    "Oluwaseun",
    "Noah",
    "Zoë",
    "Liam",
    "Sofía",
    "Mateo",
    "Priya",
    "Ethan",
    "Fatima",
    "Lucas",
    "Chloé",
    "Daniel",
    "Ngozi",
    "Hannah",
    "Andrés",
    "Grace",
    "Mohammed",
    "Olivia",
    "Kenji",
    "Isabella",
    "Dmitri",
    "Ava",
    "Siobhán",
    "Benjamin",
    "Amara",
    "Samuel",
    "Leila",
    "Owen",
    "Renée",
    "Tomás",
    "Mei",
    "Caleb",
    "Inés",
]
LAST_NAMES = [
    "García",
    "Smith",
    "O'Brien",
    "Nguyen",
    "Johnson",
    "Okafor",
    "Müller",
    "Williams",
    "Patel",
    "Brown",
    "Hernández",
    "Kowalski",
    "Davis",
    "Kim",
    "Martin",
    "Lefèvre",
    "Wilson",
    "Rossi",
    "Anderson",
    "Thompson",
    "Sánchez",
    "Moore",
    "Jackson",
    "Lee",
    "Harris",
    "Clark-Lewis",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nakamura",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
]

LOCATIONS = ["City Hall", "Civic Centre Annex", "Eastside Service Centre", "Operations Yard"]

# The demo sign-ins: username → (first, last, department, job role, roles, extra)
DEMO_ACCOUNTS = [
    ("learner", "Lena", "Ortiz", "Building Permits Counter", "Permit Technician", []),
    (
        "manager",
        "Marcus",
        "Bell",
        "Building Permits Counter",
        "Permit Counter Supervisor",
        [Role.LINE_MANAGER],
    ),
    (
        "champion",
        "Chidi",
        "Okonkwo",
        "Building Permits Counter",
        "Permit Technician",
        [Role.CHAMPION],
    ),
    (
        "hr",
        "Harriet",
        "Novak",
        "Human Resources",
        "Learning & Development Officer",
        [Role.HR_ADMIN],
    ),
    (
        "changeoffice",
        "Camille",
        "Durand",
        "Digital Transformation Office",
        "Change Manager",
        [Role.CHANGE_OFFICE],
    ),
    (
        "editor",
        "Eduardo",
        "Reyes",
        "Human Resources",
        "Learning & Development Officer",
        [Role.CONTENT_EDITOR],
    ),
    ("admin", "Ada", "Whitfield", "Information Technology", "Systems Analyst", [Role.SITE_ADMIN]),
]


def seed(stdout=None) -> dict:
    """Create the demo organisation; returns the demo accounts by username."""
    rng = random.Random(20261123)  # noqa: S311 (demo data, not security)
    departments: dict[str, Department] = {}
    for name, code, parent in DEPARTMENTS:
        dept, _ = Department.objects.get_or_create(
            name=name, defaults={"code": code, "parent": departments.get(parent)}
        )
        departments[name] = dept
    roles: dict[str, JobRole] = {}
    for name, family, _depts in JOB_ROLES:
        roles[name], _ = JobRole.objects.get_or_create(name=name, defaults={"family": family})

    # Each department gets a director (the line manager of everyone else there).
    directors: dict[str, StaffProfile] = {}
    employee_no = 1000
    for dept_name in departments:
        employee_no += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        directors[dept_name] = _get_or_create_staff(
            employee_id=f"RV{employee_no}",
            username=f"director.{departments[dept_name].code.lower()}",
            first_name=first,
            last_name=last,
            department=departments[dept_name],
            job_role=roles["Department Director"],
            manager=None,
            location=LOCATIONS[0],
            start_date=dt.date(2010 + rng.randrange(12), rng.randrange(1, 13), 1),
            roles=[Role.LINE_MANAGER],
        )

    demo: dict[str, StaffProfile] = {}
    for username, first, last, dept_name, role_name, account_roles in DEMO_ACCOUNTS:
        employee_no += 1
        demo[username] = _get_or_create_staff(
            employee_id=f"RV{employee_no}",
            username=username,
            first_name=first,
            last_name=last,
            department=departments[dept_name],
            job_role=roles[role_name],
            manager=directors[dept_name],
            location=LOCATIONS[0],
            start_date=dt.date(2019, 9, 3),
            roles=account_roles,
            password=settings.CIVICSKILLS_DEMO_PASSWORD,
        )
    # The demo learner reports to the demo manager, as does a team of permit technicians.
    _set_manager(demo["learner"], demo["manager"])
    _set_manager(demo["champion"], demo["manager"])
    hr = demo["hr"]
    if not hr.hr_all_departments:
        hr.hr_all_departments = True
        hr.save(update_fields=["hr_all_departments"])
    admin_user = demo["admin"].user
    if not admin_user.is_superuser:
        admin_user.is_superuser = True
        admin_user.is_staff = True
        admin_user.save(update_fields=["is_superuser", "is_staff"])

    # 200+ more staff spread over the departments their jobs exist in.
    job_slots = [(role, depts) for role, _family, depts in JOB_ROLES if depts]
    for index in range(220):
        employee_no += 1
        role_name, dept_names = job_slots[index % len(job_slots)]
        dept_name = dept_names[index % len(dept_names)]
        manager = (
            demo["manager"]
            if dept_name == "Building Permits Counter" and index % 2
            else (directors[dept_name])
        )
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        _get_or_create_staff(
            employee_id=f"RV{employee_no}",
            username=f"staff{index + 1:03d}",
            first_name=first,
            last_name=last,
            department=departments[dept_name],
            job_role=roles[role_name],
            manager=manager,
            location=rng.choice(LOCATIONS),
            start_date=dt.date(
                2008 + rng.randrange(18), rng.randrange(1, 13), rng.randrange(1, 28)
            ),
            roles=[],
        )
    if stdout is not None:
        stdout.write(
            f"  organisation: {Department.objects.count()} departments, "
            f"{JobRole.objects.count()} job roles, {StaffProfile.objects.count()} staff"
        )
    return {name: profile.user for name, profile in demo.items()}


def _get_or_create_staff(*, employee_id: str, username: str, roles, password=None, **fields):
    existing = StaffProfile.objects.select_related("user").filter(employee_id=employee_id).first()
    if existing is not None:
        return existing
    first_name, last_name = fields.pop("first_name"), fields.pop("last_name")
    return staff_create(
        username=username,
        email=f"{username}@riverton.example.gov",
        first_name=first_name,
        last_name=last_name,
        employee_id=employee_id,
        password=password,
        roles=roles,
        **fields,
    )


def _set_manager(profile: StaffProfile, manager: StaffProfile) -> None:
    if profile.manager_id != manager.pk:
        profile.manager = manager
        profile.save(update_fields=["manager", "updated_at"])
