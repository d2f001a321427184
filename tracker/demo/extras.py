"""What the demo loader adds to a data set: actions the YAML lacks, pending updates, sign-ins.

The shared YAML is a starting set ("the demo loader may add more"). It has no cancelled action
and nothing amber, so a dashboard loaded from it alone would never show "At risk"; these fill
the gaps. Keys refer to the YAML's own keys (people, boards, recommendations, action refs).
"""

from __future__ import annotations

# Per data set (the YAML file's stem): more people and actions, in the YAML's own shape.
EXTRAS: dict[str, dict[str, list[dict]]] = {
    "nw-infant-mortality-2016": {
        "people": [
            {
                "key": "ohv",
                "name": "Oldham Health Visiting Lead",
                "email": "health.visiting@oldham.example",
                "organisation": "Oldham Council",
                "title": "Health Visiting Team Manager",
            },
        ],
        "actions": [
            # Amber by the rule: due within the 14-day window with progress under 75%.
            {
                "board": "tscp",
                "recommendation": "R8",
                "ref": "TSCP-IM-08",
                "title": "Interpreters booked for the first antenatal contact",
                "owner": "hom",
                "due_in_days": 10,
                "status": "in_progress",
                "progress": 30,
            },
            # Amber because the owner says so, with plenty of time left.
            {
                "board": "oscp",
                "recommendation": "R3",
                "ref": "OSCP-IM-01",
                "title": "Safer-sleep advice at every health visiting contact in Oldham",
                "owner": "ohv",
                "due_in_days": 90,
                "status": "in_progress",
                "progress": 20,
                "owner_rag": "amber",
            },
            {
                "board": "tsab",
                "recommendation": "R4",
                "ref": "TSAB-IM-02",
                "title": "Safer-sleep prompts in adult social care assessments of parents",
                "owner": "eh",
                "due_in_days": 50,
                "status": "cancelled",
                "reason": "Covered by TSCP-IM-05: the partnerships agreed one joint action.",
            },
        ],
        # A meeting already held, so that the dashboard's "since the last meeting" has one.
        "meetings": [{"board": "tscp", "in_days": -27, "papers_in_days": -41}],
        # Owners' reports still waiting for the secretary, so the "to accept" list is not empty.
        "pending_updates": [
            {
                "action": "TSCP-IM-02",
                "narrative": "Referral form agreed with the stop-smoking service; "
                "two clinics live, three to go.",
                "progress": 55,
                "rag": "green",
            },
            {
                "action": "THWB-IM-04",
                "narrative": "Genetic counselling service cannot take referrals until its "
                "new consultant starts.",
                "progress": 35,
                "rag": "amber",
                "proposed_due_in_days": 150,
                "comment": "The counselling service's new consultant starts in four months.",
            },
            {
                "action": "CDOP-IM-02",
                "narrative": "Case list for the themed review agreed; panel dates set.",
                "transition": "start",
                "progress": 15,
            },
        ],
    }
}

# Who signs in to the demo, by email; everyone else only owns actions.
SIGN_IN_EMAILS = ("secretary@tameside.example", "chair@tameside.example")
ADMIN = {
    "name": "Assure Administrator",
    "email": "admin@assure.example",
    "organisation": None,
    "title": "System administrator",
}
