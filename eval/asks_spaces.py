"""The spaces and deals the paraphrase corpus (eval/make_asks.py) is answered from.

Not the demo spaces: the corpus measures the general rules, not the demo data.
"""

from __future__ import annotations

from typing import Any

FIDI: dict[str, Any] = {
    "id": 21, "name": "FiDi Suite 1200", "address": "100 Pine St, Suite 1200, San Francisco",
    "neighborhood": "Financial District", "monthly_rate": 16800,
    "amenities": {"dogFriendly": True, "parking": True, "afterHours": True, "meetingRooms": True},
    "availability": {"tuesday": ["10am", "2pm"], "thursday": ["11am"]},
    "detailed_amenities": {
        "dogPolicy": {"allowed": True, "sizeLimit": "under 40 lbs", "deposit": 350},
        "parking": {"type": "building-garage", "costMonthly": 350, "spotsAvailable": 2},
        "access": {"system": "Key card", "costPerCard": 25, "hours": "24/7", "afterHours": True,
                   "process": "Request through the building portal", "advanceNotice": "2 business days"},
        "meetingRooms": {"count": 2, "sizes": [6, 12], "bookingSystem": "Robin"},
        "rentInclusions": {"utilities": True, "internet": "1 Gbps fiber", "janitorial": "weekly",
                           "kitchen": "shared kitchen", "hvac": True},
    },
}
DOGPATCH: dict[str, Any] = {
    "id": 22, "name": "Dogpatch Works", "address": "2600 3rd St, San Francisco", "neighborhood": "Dogpatch",
    "monthly_rate": 12400, "amenities": {"dogFriendly": True, "parking": True, "afterHours": True},
    "availability": {"monday": ["9am", "1pm"], "wednesday": ["3pm"]},
    "detailed_amenities": {
        "dogPolicy": {"allowed": True, "sizeLimit": "any size", "deposit": 0},
        "parking": {"type": "off-site", "location": "Tennessee St lot", "costPerDay": 15, "spotsAvailable": 6},
        "access": {"system": "Smart lock", "cost": 0, "hours": "24/7", "afterHours": True},
        "meetingRooms": {"count": 1, "sizes": [8]},
        "rentInclusions": {"utilities": True, "internet": "500 Mbps", "janitorial": "nightly",
                           "kitchen": "kitchenette", "hvac": True},
    },
}
MISSION: dict[str, Any] = {
    "id": 23, "name": "Mission Loft", "address": "2120 Mission St, San Francisco", "neighborhood": "Mission",
    "monthly_rate": 14500, "amenities": {"dogFriendly": True, "parking": True, "afterHours": False},
    "availability": {"tuesday": ["2pm", "4pm"], "thursday": ["10am", "3pm"]},
    "detailed_amenities": {
        "dogPolicy": {"allowed": True, "sizeLimit": "under 60 lbs", "deposit": 500},
        "parking": {"type": "building-garage", "costMonthly": 175, "spotsAvailable": 3},
        "access": {"system": "Key card", "costPerCard": 30, "hours": "7am-10pm daily", "afterHours": False},
        "meetingRooms": {"count": 2, "sizes": [6, 10], "bookingSystem": "Skedda", "maxHoursPerBooking": 4},
        "rentInclusions": {"utilities": True, "internet": "1 Gbps fiber", "janitorial": "nightly",
                           "kitchen": "full kitchen", "hvac": True},
        "capacity": 18,
    },
}
LARKIN: dict[str, Any] = {
    "id": 24, "name": "Larkin Street Studio", "address": "850 Larkin St, San Francisco", "neighborhood": "Tenderloin",
    "monthly_rate": 6900, "amenities": {"dogFriendly": False, "parking": False, "afterHours": False},
    "availability": {"monday": ["11am"], "friday": ["10am", "3pm"]},
    "detailed_amenities": {
        "dogPolicy": {"allowed": False, "reason": "The lease prohibits pets"},
        "parking": {"type": "street-only", "note": "Metered street parking"},
        "access": {"system": "Front desk", "hours": "8am-6pm weekdays", "afterHours": False},
        "meetingRooms": {"count": 0, "sizes": []},
        "rentInclusions": {"utilities": False, "internet": "bring your own", "janitorial": "weekly"},
    },
}
POTRERO: dict[str, Any] = {
    "id": 25, "name": "Potrero Annex", "address": "1550 17th St, San Francisco", "neighborhood": "Potrero Hill",
    "monthly_rate": 9900, "amenities": {}, "availability": {}, "detailed_amenities": {},
}
EMBARCADERO: dict[str, Any] = {
    "id": 26, "name": "Embarcadero Center 4", "address": "4 Embarcadero Center, Suite 900, San Francisco",
    "neighborhood": "Embarcadero", "monthly_rate": 28000,
    "amenities": {"dogFriendly": False, "parking": True, "afterHours": True},
    "availability": {"monday": ["10am"], "wednesday": ["10am", "2pm"], "friday": ["11am"]},
    "detailed_amenities": {
        "dogPolicy": {"allowed": False, "flexibility": "The host may consider a small dog"},
        "parking": {"type": "building-garage", "costMonthly": 420, "spotsAvailable": 0,
                    "note": "Waitlist of about 8 weeks"},
        "access": {"system": "Key card", "costPerCard": 50, "hours": "24/7", "afterHours": True,
                   "process": "Submit the building's access form", "advanceNotice": "3 business days"},
        "meetingRooms": {"count": 5, "sizes": [4, 6, 8, 12, 20], "bookingSystem": "Envoy", "maxHoursPerBooking": 3},
        "rentInclusions": {"utilities": True, "internet": "10 Gbps fiber", "janitorial": "nightly",
                           "kitchen": "two shared kitchens", "hvac": True},
        "capacity": 40, "availableFrom": "March 1, 2027",
    },
}
SPACES = {s["name"]: s for s in (FIDI, DOGPATCH, MISSION, LARKIN, POTRERO, EMBARCADERO)}
SHORT = {"fidi": FIDI, "dogpatch": DOGPATCH, "mission": MISSION, "larkin": LARKIN, "potrero": POTRERO,
         "embarcadero": EMBARCADERO}


def deal(**over: Any) -> dict[str, Any]:
    base = {"id": 3, "seeker_name": "Dana Whitfield", "seeker_email": "dana@northwind.example.com",
            "company_name": "Northwind Analytics", "team_size": 12, "monthly_budget": 15000, "requirements": {},
            "stage": "touring"}
    return base | over
