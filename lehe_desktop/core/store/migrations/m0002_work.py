"""Schema 2: the Lehe work — visits, activities, meetings, the 三事分流 matters register, tasks.

Frozen DDL: never edit after release; later changes are new migrations.
"""

from __future__ import annotations

import sqlcipher3

from .ddl import record_table

T, INT, REAL = "TEXT", "INTEGER", "REAL"


def apply(conn: sqlcipher3.Connection) -> None:
    # ------------------------------------------------------------ visits
    record_table(conn, "visits",
                 [("household_id", T), ("visit_date", T), ("start_time", T), ("end_time", T),
                  ("visit_type", T), ("purpose", T), ("target_seen", INT), ("not_seen_reason", T),
                  ("situation", T), ("living_conditions", T), ("strengths", T), ("risk_level", T),
                  ("immediate_safety_concern", INT), ("risk_rationale", T), ("actions_taken", T),
                  ("follow_up_needed", INT), ("next_visit_date", T), ("follow_up_plan", T),
                  ("follow_up_owner", T), ("respondent_confirmed", INT), ("confirm_method", T), ("author", T)],
                 indexes=[("household_id", "visit_date"), ("visit_date",), ("next_visit_date",)],
                 refs={"household_id": "households"})
    record_table(conn, "visit_visitors", [("visit_id", T), ("name", T), ("role", T)],
                 indexes=[("visit_id",)], refs={"visit_id": "visits"})
    record_table(conn, "visit_members_present", [("visit_id", T), ("member_id", T)],
                 indexes=[("visit_id",), ("member_id",)], refs={"visit_id": "visits", "member_id": "members"})
    record_table(conn, "visit_needs",
                 [("visit_id", T), ("member_id", T), ("lehe_dimension", T), ("need_domain", T),
                  ("description", T), ("expressed_by", T), ("urgency", T), ("status", T), ("sanshi_class", T)],
                 indexes=[("visit_id",), ("member_id",), ("status",)],
                 refs={"visit_id": "visits", "member_id": "members"})
    record_table(conn, "visit_risk_factors", [("visit_id", T), ("risk_factor", T), ("note", T)],
                 indexes=[("visit_id",), ("risk_factor",)], refs={"visit_id": "visits"})
    record_table(conn, "visit_services", [("visit_id", T), ("policy_info", T), ("service_text", T)],
                 indexes=[("visit_id",)], refs={"visit_id": "visits"})
    record_table(conn, "visit_referrals",
                 [("visit_id", T), ("to_org_type", T), ("to_org_name", T), ("contact", T), ("reason", T),
                  ("sanshi_class", T), ("consent_to_share", INT), ("referred_on", T), ("status", T),
                  ("feedback_on", T), ("outcome", T)],
                 indexes=[("visit_id",), ("status",)], refs={"visit_id": "visits"})

    # ------------------------------------------------------------ activities
    record_table(conn, "activities",
                 [("title", T), ("category", T), ("series", T), ("session_no", INT), ("activity_date", T),
                  ("start_time", T), ("end_time", T), ("solar_term", T), ("festival", T), ("area_id", T),
                  ("venue_type", T), ("venue", T), ("lehe_domain", T), ("objectives", T),
                  ("planned_count", INT), ("actual_count", INT), ("male", INT), ("female", INT),
                  ("under14", INT), ("age14_17", INT), ("age18_59", INT), ("age60plus", INT),
                  ("vulnerable_count", INT), ("volunteer_count", INT), ("volunteer_hours", REAL),
                  ("description", T), ("outcomes", T), ("reflection", T), ("author", T)],
                 indexes=[("activity_date",), ("area_id", "activity_date"), ("category",)],
                 refs={"area_id": "areas"})
    record_table(conn, "activity_organisers", [("activity_id", T), ("name", T), ("org", T), ("role", T)],
                 indexes=[("activity_id",)], refs={"activity_id": "activities"})
    record_table(conn, "activity_target_groups", [("activity_id", T), ("target_group", T)],
                 indexes=[("activity_id",)], refs={"activity_id": "activities"})
    record_table(conn, "activity_attendance",
                 [("activity_id", T), ("member_id", T), ("name_text", T), ("group_name", T), ("role", T),
                  ("age_band", T), ("sign_method", T)],
                 indexes=[("activity_id",), ("member_id",)],
                 refs={"activity_id": "activities", "member_id": "members"})

    # ------------------------------------------------------------ meetings
    record_table(conn, "meetings",
                 [("meeting_type", T), ("title", T), ("area_id", T), ("group_name", T), ("meeting_date", T),
                  ("start_time", T), ("end_time", T), ("venue", T), ("convener", T), ("chair", T),
                  ("recorder", T), ("expected_count", INT), ("attended_count", INT), ("format", T),
                  ("minutes", T), ("status", T), ("disclosure_channel", T), ("disclosed_on", T),
                  ("oversight_opinion", T)],
                 indexes=[("meeting_date",), ("area_id", "meeting_date")], refs={"area_id": "areas"})
    record_table(conn, "meeting_participants",
                 [("meeting_id", T), ("member_id", T), ("name", T), ("org", T), ("post", T), ("role", T),
                  ("represents", T), ("attendance", T), ("signed", INT)],
                 indexes=[("meeting_id",), ("member_id",)],
                 refs={"meeting_id": "meetings", "member_id": "members"})
    record_table(conn, "agenda_items",
                 [("meeting_id", T), ("seq", INT), ("topic", T), ("origin", T), ("sanshi_class", T),
                  ("lehe_domain", T), ("discussion", T), ("vote_method", T), ("votes_for", INT),
                  ("votes_against", INT), ("votes_abstain", INT), ("passed", INT), ("resolution", T),
                  ("resolution_type", T)],
                 indexes=[("meeting_id", "seq")], refs={"meeting_id": "meetings"})

    # ------------------------------------------------------------ matters and tasks
    record_table(conn, "matters",
                 [("raised_on", T), ("channel", T), ("source_type", T), ("source_visit_id", T),
                  ("source_agenda_item_id", T), ("raised_by", T), ("area_id", T), ("topic_category", T),
                  ("description", T), ("sanshi_class", T), ("classification_basis", T), ("responsible_body", T),
                  ("responsible_name", T), ("responsible_person", T), ("supervisor", T), ("due_date", T),
                  ("status", T), ("closed_on", T), ("outcome", T), ("satisfaction", T), ("published_on", T)],
                 indexes=[("status", "due_date"), ("raised_on",), ("source_visit_id",), ("source_agenda_item_id",)],
                 refs={"source_visit_id": "visits", "source_agenda_item_id": "agenda_items", "area_id": "areas"})
    record_table(conn, "matter_households", [("matter_id", T), ("household_id", T)],
                 indexes=[("matter_id",), ("household_id",)],
                 refs={"matter_id": "matters", "household_id": "households"})
    record_table(conn, "tasks",
                 [("title", T), ("description", T), ("owner", T), ("owner_org", T), ("owner_body", T),
                  ("supervisor", T), ("assigned_on", T), ("due_date", T), ("status", T), ("matter_id", T),
                  ("agenda_item_id", T), ("completed_on", T), ("result", T), ("result_published_on", T)],
                 indexes=[("due_date", "status"), ("matter_id",), ("agenda_item_id",)],
                 refs={"matter_id": "matters", "agenda_item_id": "agenda_items"})
    record_table(conn, "task_households", [("task_id", T), ("household_id", T)],
                 indexes=[("task_id",), ("household_id",)],
                 refs={"task_id": "tasks", "household_id": "households"})
    record_table(conn, "task_progress", [("task_id", T), ("note_date", T), ("note", T), ("noted_by", T)],
                 indexes=[("task_id",)], refs={"task_id": "tasks"})
