"""HR and learning administration: curricula, assignment rules, assignments, roster imports,
reminders and compliance reports. Models live in ``lms.models`` (HR section)."""
