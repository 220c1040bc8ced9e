"""Demo courses of the City of Riverton: six short digital-skills courses with real lessons,
tagged with DigComp 2.2 competences and the demo job roles.

``seed(stdout=None, users=None, **ctx)`` is idempotent: the catalogue, each course and each
lesson is looked up by slug before it is created, and the demo learner's progress goes through
``courses.services`` (which records nothing twice).

Course slugs (other apps' demo data refers to them): ``online-permits-portal``,
``spotting-phishing-emails``, ``handling-residents-personal-data``,
``video-calls-with-residents``, ``working-in-shared-documents``,
``making-accessible-documents``.
"""

from __future__ import annotations

from cms.models import HomePage
from lms.models import JobRole, RoleFamily

from .models import (
    Competence,
    CompetencyFramework,
    CourseCatalogPage,
    CourseCompetence,
    CoursePage,
    Difficulty,
    JobRoleTarget,
    LessonPage,
)
from .services import (
    catalogue_ensure_editor_access,
    course_refresh_lesson_count,
    enrolment_create,
    lesson_complete,
)

CATALOGUE_SLUG = "courses"
COMPLETED_FOR_LEARNER = "spotting-phishing-emails"
IN_PROGRESS_FOR_LEARNER = "online-permits-portal"


# --- Block helpers ---------------------------------------------------------------------------


def p(*paragraphs: str) -> list[tuple]:
    return [("paragraph", f"<p>{text}</p>") for text in paragraphs]


def h(text: str, level: str = "h2") -> tuple:
    return ("heading", {"text": text, "level": level})


def steps(title: str, *items: str) -> tuple:
    return (
        "step_by_step",
        {
            "title": title,
            "steps": [
                {"text": f"<p>{item}</p>", "screenshot": None, "screenshot_alt": ""}
                for item in items
            ],
        },
    )


def callout(kind: str, text: str) -> tuple:
    return ("callout", {"kind": kind, "text": f"<p>{text}</p>"})


def try_it(title: str, description: str, url: str, button: str) -> tuple:
    return (
        "try_it",
        {"title": title, "description": description, "url": url, "button_label": button},
    )


def check(question: str, choices: list[tuple[str, bool, str]], explanation: str) -> tuple:
    return (
        "knowledge_check",
        {
            "question": question,
            "choices": [
                {"text": text, "is_correct": correct, "feedback": feedback}
                for text, correct, feedback in choices
            ],
            "explanation": f"<p>{explanation}</p>",
        },
    )


# --- The courses -----------------------------------------------------------------------------

COURSES = [
    {
        "slug": "online-permits-portal",
        "title": "Using the new online permits portal",
        "summary": (
            "Riverton's building and business permits moved online. Learn to find an "
            "application in the portal, check it, ask the applicant for missing documents and "
            "issue a decision, so residents no longer queue at the counter."
        ),
        "outcomes": [
            "Find any permit application by reference, address or applicant",
            "Check an application and request missing documents from the applicant",
            "Record a decision and send the permit through the portal",
        ],
        "minutes": 35,
        "difficulty": Difficulty.BEGINNER,
        "target_level": 3,
        "competences": ["1.1", "1.3", "2.1"],
        "job_roles": ["Permit Technician", "Permit Counter Supervisor", "Licensing Clerk"],
        "families": [],
        "lessons": [
            (
                "Signing in and finding your way around",
                8,
                [
                    *p(
                        "From 1 March, every building and business permit in Riverton starts in "
                        "the online permits portal. Residents and contractors apply from home; "
                        "you see their applications in your <b>work queue</b> as soon as they "
                        "press Submit. Paper forms handed in at the counter are scanned into the "
                        "same queue, so there is one place to look for everything.",
                        "You sign in with your usual city account. The portal shows only the "
                        "permit types your team handles: the Building Permits Counter sees "
                        "building, demolition and sign permits; Business &amp; Animal Licensing "
                        "sees business licences and dog licences.",
                    ),
                    steps(
                        "Sign in for the first time",
                        "Open <b>permits.riverton.gov/staff</b> in Edge or Chrome.",
                        "Choose <b>Sign in with your city account</b> and enter your usual "
                        "email address and password.",
                        "Approve the sign-in on your phone when the authenticator asks.",
                        "Check that your name and team appear at the top right. If the team is "
                        "wrong, tell your supervisor before you process anything.",
                    ),
                    h("The work queue"),
                    *p(
                        "The work queue lists applications waiting for your team, oldest first. "
                        "The coloured tag shows the status: <i>New</i>, <i>Waiting for "
                        "applicant</i>, <i>In review</i> or <i>Decision due</i>. The number of "
                        "days in brackets counts working days since the application was "
                        "complete; the city promises a decision within 10.",
                    ),
                    callout(
                        "tip",
                        "Sort by <b>Decision due</b> at the start of each day, so the oldest "
                        "complete applications are handled first.",
                    ),
                ],
            ),
            (
                "Checking an application and asking for missing documents",
                12,
                [
                    *p(
                        "Open an application from the queue to see the applicant's answers on "
                        "the left and the uploaded documents on the right. The portal checks "
                        "required fields itself, but it cannot tell whether a site plan is "
                        "readable or a contractor's licence is current; that is your job.",
                        "If something is missing, do not phone or email the applicant from your "
                        "own mailbox. Use <b>Request information</b>: the request is recorded "
                        "on the application, the applicant gets a message with a link, and the "
                        "10-day clock pauses until they reply.",
                    ),
                    steps(
                        "Request a missing document",
                        "Open the application and choose <b>Request information</b>.",
                        "Tick the documents that are missing or unreadable.",
                        "Add a short, plain note, for example: <i>The site plan is blurred on "
                        "page 2. Please upload a clearer scan or photo.</i>",
                        "Choose <b>Send request</b>. The status changes to <i>Waiting for "
                        "applicant</i>.",
                    ),
                    callout(
                        "warning",
                        "Never ask applicants to send documents by email. Attachments in "
                        "mailboxes are not part of the permit record and may hold personal "
                        "data we must not keep.",
                    ),
                    try_it(
                        "Practise in the training portal",
                        "The training portal holds ten made-up applications. Find the one for "
                        "12 Alder Street and ask for a clearer site plan. Nothing you do there "
                        "reaches a real resident.",
                        "https://training.permits.riverton.gov/staff",
                        "Open the training portal",
                    ),
                ],
            ),
            (
                "Recording a decision and issuing the permit",
                10,
                [
                    *p(
                        "When the checks are done, choose <b>Decide</b>. Pick approve, approve "
                        "with conditions or refuse, and give the reason in words a resident "
                        "understands. Conditions come from the standard list, so they read the "
                        "same in every permit.",
                        "The portal creates the permit PDF with the city seal and sends it to the "
                        "applicant. It also appears in the public permit register the next "
                        "morning. You do not need to print or post anything, unless the "
                        "applicant asked for paper.",
                    ),
                    steps(
                        "Issue a permit",
                        "Choose <b>Decide</b> on the application.",
                        "Select the outcome and any standard conditions.",
                        "Write the reason in one or two plain sentences.",
                        "Preview the permit, then choose <b>Issue</b>.",
                    ),
                    callout(
                        "important",
                        "Refusals are checked by the counter supervisor before they go out. "
                        "Choose <b>Send for second check</b> instead of <b>Issue</b>.",
                    ),
                    check(
                        "An applicant's site plan is unreadable. What do you do?",
                        [
                            (
                                "Email the applicant from my mailbox and ask for a new scan.",
                                False,
                                "Emails are not part of the permit record, and the 10-day "
                                "clock would keep running.",
                            ),
                            (
                                "Use Request information in the portal.",
                                True,
                                "Right: the request is recorded and the clock pauses until "
                                "the applicant replies.",
                            ),
                            (
                                "Refuse the application.",
                                False,
                                "A missing document is not a reason to refuse; ask for it first.",
                            ),
                        ],
                        "Requests made in the portal are part of the permit record, reach the "
                        "applicant straight away and pause the decision deadline.",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "spotting-phishing-emails",
        "title": "Spotting phishing emails",
        "summary": (
            "Most attacks on cities start with one convincing email. Learn the signs of "
            "phishing, what to do with a suspicious message, and what to do if you already "
            "clicked."
        ),
        "outcomes": [
            "Recognise the common signs of a phishing email",
            "Check a link or sender safely before acting",
            "Report a suspicious email and know what to do after a mistake",
        ],
        "minutes": 20,
        "difficulty": Difficulty.BEGINNER,
        "target_level": 3,
        "competences": ["4.1", "4.2", "1.2"],
        "job_roles": [],
        "families": [RoleFamily.FRONTLINE, RoleFamily.SUPERVISOR, RoleFamily.SPECIALIST],
        "lessons": [
            (
                "What phishing looks like",
                6,
                [
                    *p(
                        "Phishing is an email, text or call that pretends to come from someone "
                        "you trust so that you click a link, open an attachment, pay an invoice "
                        "or type your password. Last year the city's mail filter stopped more "
                        "than 40,000 of them; the few that get through are the convincing ones.",
                        "Attackers often copy messages staff expect: a shared document, a "
                        "parcel notice, a payroll change, a supplier's new bank details. The "
                        "message usually asks you to act <b>quickly</b>.",
                    ),
                    h("Five signs to look for"),
                    (
                        "paragraph",
                        "<ul><li>The sender's address does not match the name "
                        "(<i>Riverton Payroll &lt;payroll@rivert0n-hr.com&gt;</i>).</li>"
                        "<li>Urgency or threats: <i>your account closes today</i>.</li>"
                        "<li>A link whose real address, shown when you hover, is not what the "
                        "text says.</li><li>An unexpected attachment, especially a .zip, .html "
                        "or a document asking you to enable macros.</li><li>A request to change "
                        "bank details or buy gift cards.</li></ul>",
                    ),
                    callout(
                        "tip",
                        "External emails carry a yellow <b>[EXTERNAL]</b> banner. An email "
                        "that claims to be from a colleague but has the banner deserves a "
                        "second look.",
                    ),
                ],
            ),
            (
                "Checking before you click",
                7,
                [
                    *p(
                        "When an email asks you to do something, stop for ten seconds. Hover "
                        "over links (or press and hold on a phone) to see where they really "
                        "go. A link to <i>riverton.gov.account-verify.net</i> does not belong "
                        "to the city: the real owner is the last part before the first single "
                        "slash.",
                        "If the message is about money or passwords, check it a different way: "
                        "call the person on the number in the staff directory, not the number "
                        "in the email.",
                    ),
                    steps(
                        "Report a suspicious email",
                        "Do not click links, open attachments or reply.",
                        "In Outlook, choose <b>Report</b> then <b>Report phishing</b>.",
                        "The email goes to the IT security team and out of your inbox.",
                        "If colleagues got the same message, tell them it has been reported.",
                    ),
                    callout(
                        "warning",
                        "Never forward a suspicious email to colleagues to ask their opinion; "
                        "that spreads it. Report it instead.",
                    ),
                ],
            ),
            (
                "If you already clicked",
                5,
                [
                    *p(
                        "Everyone can be caught out. What matters is telling IT quickly: an "
                        "account reported within an hour can usually be protected before "
                        "anything is lost. Nobody is disciplined for reporting a mistake.",
                    ),
                    steps(
                        "What to do straight away",
                        "Disconnect from the network if a file you opened asked for "
                        "permission to run.",
                        "Call the Service Desk on extension 4357 (HELP) and say you clicked a "
                        "phishing link.",
                        "Change your password from a different device if you typed it in.",
                        "Write down what you clicked and when; IT will ask.",
                    ),
                    check(
                        "An email from “Riverton Payroll” asks you to confirm your bank "
                        "details today via a link. What should you do?",
                        [
                            (
                                "Click the link and check the page looks official.",
                                False,
                                "Fake pages look official. Checking the page is already too "
                                "late if it captures your password.",
                            ),
                            (
                                "Report it with Report phishing and call Payroll on the "
                                "directory number if unsure.",
                                True,
                                "Right: report it, and check through a channel you trust.",
                            ),
                            (
                                "Forward it to your team to warn them.",
                                False,
                                "Forwarding spreads the email. Report it; IT warns everyone.",
                            ),
                        ],
                        "Payroll never asks for bank details by email. Report the message and "
                        "use a trusted channel to check.",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "handling-residents-personal-data",
        "title": "Handling residents' personal data",
        "summary": (
            "Residents trust us with their names, addresses, health details and more. Learn "
            "what counts as personal data, how to store and share it safely at work, and what "
            "to do if it goes to the wrong person."
        ),
        "outcomes": [
            "Tell personal and sensitive personal data apart",
            "Store and share residents' data only where the city allows",
            "Report a data breach within the hour",
        ],
        "minutes": 30,
        "difficulty": Difficulty.BEGINNER,
        "target_level": 3,
        "competences": ["4.2", "1.3", "2.2"],
        "job_roles": ["311 Customer Service Agent", "Records Clerk", "Licensing Clerk"],
        "families": [RoleFamily.FRONTLINE],
        "lessons": [
            (
                "What counts as personal data",
                8,
                [
                    *p(
                        "Personal data is anything that identifies a living person or could "
                        "be linked to them: a name, an address, a phone number, a licence "
                        "plate, a photo, a case reference. A spreadsheet of dog licences is "
                        "personal data even without names, because addresses identify "
                        "households.",
                        "Some data is <b>sensitive</b> and needs extra care: health and "
                        "disability, ethnic origin, religion, criminal records, and details of "
                        "children. A request for a disabled parking permit, for example, holds "
                        "health data.",
                    ),
                    callout(
                        "important",
                        "Collect only what the task needs. If a form asks for a date of birth "
                        "that nobody uses, tell your supervisor so it can be removed.",
                    ),
                ],
            ),
            (
                "Storing and sharing safely",
                12,
                [
                    *p(
                        "Residents' data belongs in the city's systems of record: the permits "
                        "portal, the 311 case system, the records library. Copies on your "
                        "desktop, in personal email or on a USB stick are where breaches "
                        "start.",
                        "When you need to share data with a colleague, share a link to the "
                        "record rather than a copy. Outside the city, use the secure file "
                        "transfer service; it encrypts the file and expires the link after "
                        "seven days.",
                    ),
                    steps(
                        "Before you send anything with personal data",
                        "Check the recipient's address letter by letter; autocomplete is the "
                        "most common cause of misdirected email.",
                        "Remove anything the recipient does not need.",
                        "Use secure file transfer for attachments leaving the city.",
                        "Mark the email <b>Sensitive</b> if it holds health or children's data.",
                    ),
                    callout(
                        "warning",
                        "Never use personal messaging apps (WhatsApp, personal Gmail) for "
                        "residents' data, even to send a quick photo of a form.",
                    ),
                ],
            ),
            (
                "When something goes wrong",
                10,
                [
                    *p(
                        "A data breach is any loss, wrong disclosure or unauthorised access "
                        "to personal data: an email to the wrong Maria García, a lost laptop, "
                        "a printout left at the counter. The city has 72 hours to tell the "
                        "regulator about serious breaches, so we need to hear within the hour.",
                    ),
                    steps(
                        "Report a breach",
                        "If you can, ask the wrong recipient to delete the message and "
                        "confirm they did.",
                        "Fill in the <b>Data breach</b> form on the intranet, or call the "
                        "privacy officer on extension 2290.",
                        "Do not try to investigate or fix it on your own.",
                    ),
                    check(
                        "You emailed a resident's disabled-parking application to the wrong "
                        "person. What first?",
                        [
                            (
                                "Wait to see whether the recipient complains.",
                                False,
                                "Waiting uses up the 72 hours the city has to report "
                                "serious breaches.",
                            ),
                            (
                                "Report it through the Data breach form within the hour.",
                                True,
                                "Right: the privacy officer can act quickly and decide "
                                "whether the regulator must be told.",
                            ),
                            (
                                "Recall the email in Outlook and say nothing.",
                                False,
                                "Recall rarely works outside the city, and the breach "
                                "still has to be recorded.",
                            ),
                        ],
                        "Health data is sensitive. Reporting within the hour lets the privacy "
                        "officer limit the harm and meet the 72-hour legal deadline.",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "video-calls-with-residents",
        "title": "Video calls with residents",
        "summary": (
            "Many residents now book a video appointment instead of coming in. Learn to set "
            "up a call, help a resident who cannot connect, and keep the call private and "
            "accessible."
        ),
        "outcomes": [
            "Start a video appointment from the booking system",
            "Help residents join, including by phone",
            "Run a private, accessible call with captions and screen sharing",
        ],
        "minutes": 25,
        "difficulty": Difficulty.BEGINNER,
        "target_level": 2,
        "competences": ["2.1", "2.5", "5.1"],
        "job_roles": ["311 Customer Service Agent", "Permit Technician", "Bookings Coordinator"],
        "families": [],
        "lessons": [
            (
                "Before the call",
                8,
                [
                    *p(
                        "Video appointments are booked like counter appointments. The booking "
                        "system sends the resident a link 24 hours and 1 hour before; you "
                        "start the call from the appointment itself, so the right resident "
                        "lands in the right meeting.",
                        "Find a quiet spot with a plain background and your face lit from the "
                        "front. Close email and anything with other residents' data on it "
                        "before you share your screen.",
                    ),
                    steps(
                        "Start a video appointment",
                        "Open today's appointments in the booking system.",
                        "Choose the appointment, then <b>Start video call</b>.",
                        "Test your camera and microphone on the preview screen.",
                        "Choose <b>Join</b> two minutes before the start time.",
                    ),
                ],
            ),
            (
                "Helping residents join",
                8,
                [
                    *p(
                        "If the resident has not joined after five minutes, call them on the "
                        "phone number in the booking. Most problems are a browser blocking the "
                        "camera or an old app version.",
                        "Every meeting also has a dial-in number. A resident can always join "
                        "by phone and still see documents you send afterwards; do not cancel "
                        "because video fails.",
                    ),
                    callout(
                        "tip",
                        "Ask the resident to open the link in Chrome, Edge or Safari rather "
                        "than the email app's own browser; that solves most camera problems.",
                    ),
                ],
            ),
            (
                "A private and accessible call",
                9,
                [
                    *p(
                        "Check who you are speaking to before discussing their case: ask for "
                        "their date of birth or booking reference, just as at the counter. "
                        "If someone else is with them, ask whether they are happy to discuss "
                        "the case in front of them.",
                        "Turn on live captions for anyone who asks, and offer them to "
                        "everyone. Describe what you share on screen: <i>I am showing the "
                        "permit form, section 3</i>.",
                    ),
                    callout(
                        "warning",
                        "Do not record video appointments. If a resident asks for a record, "
                        "send a written summary through the case system after the call.",
                    ),
                    check(
                        "A resident cannot get their camera to work. What do you suggest?",
                        [
                            (
                                "Cancel and rebook at the counter.",
                                False,
                                "No need: the resident can still join by phone.",
                            ),
                            (
                                "Join with the dial-in number, or open the link in another "
                                "browser.",
                                True,
                                "Right: the appointment goes ahead and documents can follow "
                                "in writing.",
                            ),
                            (
                                "Ask them to install a different video app.",
                                False,
                                "The city's video service runs in the browser; installing "
                                "other apps is not needed.",
                            ),
                        ],
                        "Every video appointment has a dial-in number, so a camera problem "
                        "never needs to stop the appointment.",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "working-in-shared-documents",
        "title": "Working in shared documents",
        "summary": (
            "Stop emailing attachments back and forth. Learn to create, share and co-edit "
            "documents in the city's document library, use comments and version history, and "
            "control who can see what."
        ),
        "outcomes": [
            "Create a document in a team library and share a link",
            "Co-edit with comments, suggestions and version history",
            "Set sharing permissions so only the right people have access",
        ],
        "minutes": 40,
        "difficulty": Difficulty.INTERMEDIATE,
        "target_level": 4,
        "competences": ["2.2", "2.4", "3.1"],
        "job_roles": ["Permit Counter Supervisor", "Financial Analyst", "Deputy City Clerk"],
        "families": [RoleFamily.SUPERVISOR, RoleFamily.SPECIALIST],
        "lessons": [
            (
                "One document, many editors",
                12,
                [
                    *p(
                        "When a document is emailed as an attachment, every reply creates a "
                        "new copy, and someone has to merge the changes. In the team document "
                        "library there is one copy; everyone edits it and sees each other's "
                        "changes as they type.",
                        "Create documents inside your team's library, not on your own drive, "
                        "so they stay with the team when you move or leave.",
                    ),
                    steps(
                        "Share a document with a link",
                        "Open the document in the team library.",
                        "Choose <b>Share</b>, then <b>People in Riverton with the link</b>.",
                        "Choose whether people can edit or only view.",
                        "Copy the link into your email or chat instead of attaching the file.",
                    ),
                ],
            ),
            (
                "Comments, suggestions and version history",
                14,
                [
                    *p(
                        "Use comments to ask questions and <b>@mention</b> a colleague to "
                        "notify them. Use suggesting mode when you change someone else's text, "
                        "so they can accept or reject each change.",
                        "Version history keeps every saved version. If something is deleted "
                        "by mistake, you can restore yesterday's version in two clicks; there "
                        "is no need to keep copies named <i>final_v3_REAL.docx</i>.",
                    ),
                    callout(
                        "tip",
                        "Name versions at milestones (<i>Sent to council</i>) from the version "
                        "history menu so they are easy to find later.",
                    ),
                ],
            ),
            (
                "Who can see what",
                14,
                [
                    *p(
                        "Sharing settings decide who sees a document. <b>People in "
                        "Riverton</b> links work only for city accounts. <b>Specific "
                        "people</b> is the right choice for anything with personal data. "
                        "Links for <b>Anyone</b> are switched off for documents in HR, "
                        "finance and clerk libraries.",
                        "Check the sharing list before you add personal data to a document "
                        "that was shared widely for another purpose.",
                    ),
                    callout(
                        "warning",
                        "Removing someone from a team does not remove links you sent them. "
                        "Review <b>Manage access</b> when a project ends.",
                    ),
                    check(
                        "Three colleagues need to edit a council report. What is the best way?",
                        [
                            (
                                "Email the file to each and merge their copies.",
                                False,
                                "Merging copies is slow and changes get lost.",
                            ),
                            (
                                "Share one document in the team library with edit rights.",
                                True,
                                "Right: one copy, everyone's changes, full version history.",
                            ),
                            (
                                "Put the report on a USB stick and pass it round.",
                                False,
                                "USB sticks get lost, and only one person can edit at a time.",
                            ),
                        ],
                        "A shared document keeps one copy, shows who changed what and keeps "
                        "every version.",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "making-accessible-documents",
        "title": "Making accessible documents",
        "summary": (
            "One in five residents has a disability, and the city must publish documents "
            "everyone can use. Learn to structure documents with headings, write useful "
            "alternative text, make tables and PDFs that screen readers understand, and check "
            "your work."
        ),
        "outcomes": [
            "Structure a document with real headings and lists",
            "Write alternative text for images and charts",
            "Export an accessible PDF and run the accessibility checker",
        ],
        "minutes": 45,
        "difficulty": Difficulty.INTERMEDIATE,
        "target_level": 4,
        "competences": ["3.1", "3.2", "2.3"],
        "job_roles": ["Deputy City Clerk", "Records Clerk", "Recreation Programmer"],
        "families": [RoleFamily.SPECIALIST],
        "lessons": [
            (
                "Structure: headings, lists and plain language",
                15,
                [
                    *p(
                        "Screen-reader users move through a document by its headings, the way "
                        "sighted readers skim. Text that is only made big and bold is not a "
                        "heading to them. Use the <b>Heading 1</b>, <b>Heading 2</b> styles, "
                        "in order, without skipping levels.",
                        "Use the list buttons for lists, keep sentences short and explain "
                        "abbreviations the first time you use them. Plain language helps "
                        "everyone, including residents reading in their second language.",
                    ),
                    steps(
                        "Turn bold text into a real heading",
                        "Put the cursor in the line.",
                        "Choose <b>Heading 2</b> (or the right level) in the Styles gallery.",
                        "Open the Navigation pane to check the outline reads sensibly.",
                    ),
                ],
            ),
            (
                "Images, charts and tables",
                15,
                [
                    *p(
                        "Every meaningful image needs alternative text that says what it "
                        "shows and why it is there: <i>Map of the new bus route along "
                        "River Road from the library to the hospital</i>. Decorative images "
                        "are marked as decorative so screen readers skip them.",
                        "For charts, put the key numbers in the text or a table next to the "
                        "chart. Tables need a header row marked as such, and no merged or "
                        "empty cells used for layout.",
                    ),
                    callout(
                        "tip",
                        "Do not start alternative text with <i>Image of</i>; screen readers "
                        "already say it is an image.",
                    ),
                ],
            ),
            (
                "Accessible PDFs and checking your work",
                15,
                [
                    *p(
                        "A PDF keeps the structure only if you export it correctly. Use "
                        "<b>File → Save as → PDF</b> with <i>Document structure tags for "
                        "accessibility</i> ticked; printing to PDF throws the structure away.",
                        "Run the built-in accessibility checker before you publish and fix "
                        "every error. Then try the document with the keyboard only, and read "
                        "the headings list in the Navigation pane.",
                    ),
                    steps(
                        "Check before you publish",
                        "Choose <b>Review → Check accessibility</b> and fix each error.",
                        "Save as PDF with document structure tags.",
                        "Open the PDF and check that the title and headings appear in the "
                        "bookmarks.",
                    ),
                    check(
                        "Which alternative text is best for a photo of the reopened Elm Street "
                        "library?",
                        [
                            (
                                "Image of a building.",
                                False,
                                "Too vague, and screen readers already say it is an image.",
                            ),
                            (
                                "Front of the reopened Elm Street library, with the new "
                                "step-free entrance.",
                                True,
                                "Right: it says what the photo shows and why it matters.",
                            ),
                            (
                                "IMG_2041.jpg",
                                False,
                                "A file name tells the reader nothing.",
                            ),
                        ],
                        "Good alternative text is short, specific and says why the image is there.",
                    ),
                ],
            ),
        ],
    },
]

# Target profiles of some demo job roles: DigComp competence → level.
TARGET_PROFILES = {
    "Permit Technician": {"1.1": 3, "2.1": 3, "4.1": 3, "4.2": 3},
    "311 Customer Service Agent": {"2.1": 3, "2.5": 3, "4.2": 3, "5.1": 2},
    "Records Clerk": {"1.3": 4, "3.1": 3, "4.2": 4},
    "Permit Counter Supervisor": {"1.1": 3, "2.4": 4, "4.2": 4},
}


# --- Seeding ---------------------------------------------------------------------------------


def _catalogue() -> CourseCatalogPage:
    catalogue = CourseCatalogPage.objects.first()
    if catalogue is not None:
        return catalogue
    home = HomePage.objects.first()
    catalogue = home.add_child(
        instance=CourseCatalogPage(
            title="Courses",
            slug=CATALOGUE_SLUG,
            intro="<p>Short courses on the digital services and skills city work needs.</p>",
        )
    )
    catalogue.save_revision().publish()
    return catalogue


def _course(catalogue: CourseCatalogPage, spec: dict, competences: dict) -> CoursePage:
    course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
    if course is None:
        course = CoursePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            learning_outcomes="<ul>" + "".join(f"<li>{o}</li>" for o in spec["outcomes"]) + "</ul>",
            estimated_minutes=spec["minutes"],
            difficulty=spec["difficulty"],
            target_level=spec["target_level"],
            audience_role_families=[str(family) for family in spec["families"]],
        )
        course.audience_job_roles = list(JobRole.objects.filter(name__in=spec["job_roles"]))
        course.course_competences = [
            CourseCompetence(competence=competences[code], sort_order=order)
            for order, code in enumerate(spec["competences"])
            if code in competences
        ]
        catalogue.add_child(instance=course)
        course.save_revision().publish()
    for number, (title, minutes, body) in enumerate(spec["lessons"], start=1):
        slug = f"lesson-{number}"
        if LessonPage.objects.child_of(course).filter(slug=slug).exists():
            continue
        lesson = LessonPage(title=title, slug=slug, estimated_minutes=minutes, body=body)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    course_refresh_lesson_count(course=course)
    return course


def _target_profiles(competences: dict) -> int:
    created = 0
    for role_name, targets in TARGET_PROFILES.items():
        role = JobRole.objects.filter(name=role_name).first()
        if role is None:
            continue
        for code, level in targets.items():
            _target, new = JobRoleTarget.objects.get_or_create(
                job_role=role, competence=competences[code], defaults={"level": level}
            )
            created += new
    return created


def _learner_progress(learner, courses: dict[str, CoursePage]) -> None:
    """The demo learner has finished one course and is half-way through another."""
    done = courses[COMPLETED_FOR_LEARNER]
    for lesson in LessonPage.objects.child_of(done).live().order_by("path"):
        lesson_complete(user=learner, lesson=lesson)
    started = courses[IN_PROGRESS_FOR_LEARNER]
    enrolment_create(user=learner, course=started)
    first = LessonPage.objects.child_of(started).live().order_by("path").first()
    if first is not None:
        lesson_complete(user=learner, lesson=first)


def seed(stdout=None, users=None, **ctx) -> dict[str, CoursePage]:
    """Create the course catalogue, the six demo courses and the demo learner's progress.

    Returns the courses by slug (the context later seeders may use)."""
    framework = CompetencyFramework.objects.get(slug="digcomp-2-2")
    competences = {c.code: c for c in Competence.objects.filter(framework=framework)}
    catalogue = _catalogue()
    courses = {spec["slug"]: _course(catalogue, spec, competences) for spec in COURSES}
    targets = _target_profiles(competences)
    catalogue_ensure_editor_access(catalogue=catalogue)
    learner = (users or {}).get("learner")
    if learner is not None:
        _learner_progress(learner, courses)
    if stdout is not None:
        stdout.write(
            f"  courses: {len(courses)} courses, "
            f"{LessonPage.objects.descendant_of(catalogue).count()} lessons, "
            f"{targets} new job-role targets"
        )
    return courses
