"""Programme templates from the commissioning documents (seeds 002 and 000)."""

REFLECTING_EVIDENCE = [
    "narrative",  # one complete, consented narrative presenting one service user's perspective
    "reflection",  # a reflection record with key learning points and themes
    "dissemination_frontline",
    "dissemination_board",
    "embedding_actions",
    "strategic_plan",
    "participant_feedback",
]

TEMPLATES = {
    "reflecting_on_practice": {
        "name": "Reflecting on practice – Safeguarding",
        # (quarter, months after the quarter ends for the reporting date, weighting %)
        "milestones": [("Q1", 1, 25.0), ("Q2", 1, 25.0), ("Q3", 1, 25.0), ("Q4", 1, 25.0)],
        "requirements": {"*": REFLECTING_EVIDENCE},
    },
    "collaborative_risk_assessment": {
        "name": "Secure service users active engagement: collaborative risk assessment",
        "milestones": [("Q2", 0, 25.0), ("Q4", 0, 75.0)],
        "targets": {"Q2": 50.0, "Q4": 100.0},
        # Seed 000: Q2 sets up the programme and its first re-audit; Q4 shows continued
        # progress and the final re-audit. Each re-audit is checked against the target.
        "requirements": {
            "Q2": [
                "baseline_audit",
                "training_programme",
                "evaluation",
                "action_plan",
                "progress_evidence",
                "re_audit",
                "audit_target",
            ],
            "Q4": ["progress_evidence", "re_audit", "audit_target"],
            "*": [],
        },
    },
}
