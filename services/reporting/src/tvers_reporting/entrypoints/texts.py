"""The dashboard's words, in Norwegian nynorsk (the default) and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nn": {
        "title": "Samarbeid på tvers",
        "subtitle": "Bibliotek, innbyggartorg, frivilligsentral og skular: aktivitet per avdeling",
        "period": "Periode",
        "branch": "Avdeling",
        "total": "Sum",
        "empty": "Ingen aktivitet i perioden enno.",
        "lag": "etterslep",
        "pipeline": "Oppdatering av tala",
        "state_starting": "startar",
        "state_waiting": "ventar på straumen",
        "state_standby": "i reserve",
        "state_following": "følgjer med",
        "state_recovering": "prøver igjen",
        "state_upgrading": "byggjer om til ny versjon",
        "state_stopped": "stoppa",
        "dead_letters": "hendingar som ikkje kunne lesast",
        "other_language": "English",
    },
    "en": {
        "title": "Cooperation across",
        "subtitle": "Library, citizen service, volunteer centre and schools: activity per branch",
        "period": "Period",
        "branch": "Branch",
        "total": "Total",
        "empty": "No activity in the period yet.",
        "lag": "lag",
        "pipeline": "Keeping the figures up to date",
        "state_starting": "starting",
        "state_waiting": "waiting for its stream",
        "state_standby": "on standby",
        "state_following": "following",
        "state_recovering": "trying again",
        "state_upgrading": "rebuilding for a new release",
        "state_stopped": "stopped",
        "dead_letters": "events that could not be read",
        "other_language": "Nynorsk",
    },
}


def texts(language: str) -> dict[str, str]:
    """The words of a language (nynorsk unless English is asked for)."""
    return TEXTS["en" if language == "en" else "nn"]
