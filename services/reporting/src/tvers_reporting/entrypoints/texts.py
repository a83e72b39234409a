"""The dashboard's words, in Norwegian nynorsk (the default) and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nn": {
        "title": "Samarbeid på tvers",
        "subtitle": "Bibliotek, innbyggartorg, frivilligsentral og skular: aktivitet per avdeling",
        "period": "Periode",
        "branch": "Avdeling",
        "entries_staffed": "Besøk i betjent tid",
        "entries_meirope": "Besøk i meirope tid",
        "entries_denied": "Avviste forsøk",
        "shifts_claimed": "Vakter tekne av bibliotekvenner",
        "class_visits": "Klassebesøk",
        "pupils": "Elevar",
        "library_cards": "Lånekort delte ut",
        "total": "Sum",
        "empty": "Ingen aktivitet i perioden enno.",
        "lag": "Etterslep i oppdateringa",
        "dead_letters": "Hendingar som ikkje kunne lesast",
        "other_language": "English",
    },
    "en": {
        "title": "Cooperation across",
        "subtitle": "Library, citizen service, volunteer centre and schools: activity per branch",
        "period": "Period",
        "branch": "Branch",
        "entries_staffed": "Visits in staffed hours",
        "entries_meirope": "Visits in meirope hours",
        "entries_denied": "Denied attempts",
        "shifts_claimed": "Shifts claimed by volunteers",
        "class_visits": "Class visits",
        "pupils": "Pupils",
        "library_cards": "Library cards handed out",
        "total": "Total",
        "empty": "No activity in the period yet.",
        "lag": "Update lag",
        "dead_letters": "Events that could not be read",
        "other_language": "Nynorsk",
    },
}


def texts(language: str) -> dict[str, str]:
    """The words of a language (nynorsk unless English is asked for)."""
    return TEXTS["en" if language == "en" else "nn"]
