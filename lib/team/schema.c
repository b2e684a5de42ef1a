#include "schema.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "sha1.h"
#include "utf8.h"

#define REQ         PERF_FIELD_REQUIRED
#define UNVERSIONED PERF_FIELD_UNVERSIONED

/* Indexed by enum perf_schema_rule; also the allowed values of config `permissions`. */
static const char *const rule_names[] = {
    "anyone", "owner", "owner-or-lead", "owner-or-maintainer", "addressed", "author", "maintainer", "append", NULL,
};

static const char *const goal_status[] = {"active", "done", "dropped", NULL};
static const char *const cycle_status[] = {"open", "closed", NULL};
static const char *const norm_status[] = {"proposed", "adopted", NULL};
static const char *const checkin_cadence[] = {"weekly", "fortnightly", "monthly", "off", NULL};
static const char *const share_cadence[] = {"weekly", "fortnightly", "monthly", "quarterly", "off", NULL};

/* An agreement: who agreed, when, to which version of the document. */
static const struct perf_schema_field agreement_fields[] = {
    {.name = "who", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "who agreed", .ref = "person"},
    {.name = "at", .type = PERF_TYPE_TIME, .flags = REQ, .about = "when"},
    {.name = "version", .type = PERF_TYPE_VERSION, .flags = REQ, .about = "the version agreed to"},
    {.name = NULL},
};

/* ---- config ---- */

static const struct perf_schema_field cadence_fields[] = {
    {.name = "checkin", .type = PERF_TYPE_ENUM, .values = checkin_cadence, .about = "how often people check in"},
    {.name = "share", .type = PERF_TYPE_ENUM, .values = share_cadence, .about = "how often goals are shared"},
    {.name = NULL},
};

static const struct perf_schema_field group_fields[] = {
    {.name = "name", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "the group's id"},
    {.name = "members",
     .type = PERF_TYPE_LIST,
     .flags = REQ,
     .item = PERF_TYPE_HANDLE,
     .about = "handles",
     .ref = "person"},
    {.name = NULL},
};

static const struct perf_schema_field config_fields[] = {
    {.name = "format",
     .type = PERF_TYPE_INT,
     .flags = REQ,
     .min = PERF_FORMAT_VERSION,
     .max = PERF_FORMAT_VERSION,
     .about = "format version of the repository"},
    {.name = "team", .type = PERF_TYPE_STRING, .flags = REQ, .about = "the team's name"},
    {.name = "cadences", .type = PERF_TYPE_MAP, .fields = cadence_fields, .about = "rhythms of the program"},
    {.name = "groups",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_MAP,
     .fields = group_fields,
     .about = "accountability groups",
     .id = "name"},
    {.name = "maintainers",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_HANDLE,
     .about = "who may change the program",
     .ref = "person"},
    {.name = "agreement", .type = PERF_TYPE_QUORUM, .about = "agreements needed to adopt a norm"},
    {.name = "permissions",
     .type = PERF_TYPE_DICT,
     .item = PERF_TYPE_ENUM,
     .values = rule_names,
     .about = "kind: rule, replacing a kind's default rule"},
    {.name = "signing_required", .type = PERF_TYPE_BOOL, .about = "commits must be signed"},
    {.name = "values", .type = PERF_TYPE_LIST, .item = PERF_TYPE_STRING, .about = "the team's values, for praise"},
    {.name = NULL},
};

/* ---- person ---- */

static const struct perf_schema_field person_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "name", .type = PERF_TYPE_STRING, .flags = REQ, .about = "full name"},
    {.name = "email", .type = PERF_TYPE_EMAIL, .about = "as in git's user.email, to map commits to people"},
    {.name = "role", .type = PERF_TYPE_STRING, .about = "role in the team"},
    {.name = "lead", .type = PERF_TYPE_HANDLE, .about = "the person's lead", .ref = "person"},
    {.name = "group", .type = PERF_TYPE_HANDLE, .about = "accountability group", .ref = "group"},
    {.name = "admitted_by", .type = PERF_TYPE_HANDLE, .about = "the lead or maintainer who admitted them (perf admit)"},
    {.name = "left", .type = PERF_TYPE_DATE, .about = "the day they left the team (perf person leave)"},
    {.name = "keys", .type = PERF_TYPE_LIST, .item = PERF_TYPE_STRING, .about = "SSH public keys"},
    {.name = "encryption_key",
     .type = PERF_TYPE_STRING,
     .about = "x25519: and a public key in base64, for private documents (perf keygen)"},
    {.name = NULL},
};

/* ---- expectations ---- */

static const struct perf_schema_field expectations_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "person", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "whose expectations", .ref = "person"},
    {.name = "lead",
     .type = PERF_TYPE_HANDLE,
     .flags = REQ,
     .about = "the lead who writes them with the person",
     .ref = "person"},
    {.name = "role", .type = PERF_TYPE_STRING, .about = "the role they are grounded in"},
    {.name = "agreed_by",
     .type = PERF_TYPE_LIST,
     .flags = UNVERSIONED,
     .item = PERF_TYPE_MAP,
     .fields = agreement_fields,
     .about = "agreements, each to a version",
     .id = "who"},
    {.name = NULL},
};

/* ---- goal ---- */

/* Support promised to a goal: who gives it, what, and when it was given (set by them). */
static const struct perf_schema_field supporter_fields[] = {
    {.name = "who", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "who gives the support", .ref = "person"},
    {.name = "what", .type = PERF_TYPE_STRING, .flags = REQ, .about = "what they commit to do"},
    {.name = "given", .type = PERF_TYPE_DATE, .about = "when they gave it (only they set it)"},
    {.name = NULL},
};

static const struct perf_schema_field goal_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "person", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "whose goal", .ref = "person"},
    {.name = "title", .type = PERF_TYPE_STRING, .flags = REQ, .about = "the goal in a few words"},
    {.name = "status", .type = PERF_TYPE_ENUM, .flags = REQ, .values = goal_status},
    {.name = "progress", .type = PERF_TYPE_INT, .min = 0, .max = 100, .about = "percent"},
    {.name = "due", .type = PERF_TYPE_DATE},
    {.name = "supports", .type = PERF_TYPE_STRING, .about = "the area of the expectations it serves"},
    {.name = "area",
     .type = PERF_TYPE_HANDLE,
     .about = "the key of the expectation area it serves (perf-format(5), AREAS)"},
    {.name = "support", .type = PERF_TYPE_TEXT, .about = "what the team commits to do (free text, older goals)"},
    {.name = "supporters",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_MAP,
     .fields = supporter_fields,
     .about = "support promised, each by one person",
     .id = "who"},
    {.name = "cycle", .type = PERF_TYPE_HANDLE, .about = "the cycle of inquiry it belongs to", .ref = "cycle"},
    {.name = "created", .type = PERF_TYPE_TIME},
    {.name = "closed", .type = PERF_TYPE_TIME, .about = "when it became done or dropped"},
    {.name = "why", .type = PERF_TYPE_TEXT, .about = "why it matters to the person"},
    {.name = NULL},
};

/* ---- checkin ---- */

static const struct perf_schema_field checkin_goal_fields[] = {
    {.name = "goal", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "the goal's slug", .ref = "goal"},
    {.name = "progress", .type = PERF_TYPE_INT, .flags = REQ, .min = 0, .max = 100, .about = "percent"},
    {.name = NULL},
};

/* Work from the person's own repositories (perf.work), as they kept it: one change each. */
static const struct perf_schema_field checkin_work_fields[] = {
    {.name = "repo", .type = PERF_TYPE_STRING, .flags = REQ, .about = "the repository's name"},
    {.name = "commit",
     .type = PERF_TYPE_STRING,
     .flags = REQ,
     .about = "the commit's full id (an annotated tag's own id for a tag)"},
    {.name = "subject", .type = PERF_TYPE_STRING, .flags = REQ, .about = "what it did, in one line"},
    {.name = NULL},
};

static const struct perf_schema_field checkin_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "person", .type = PERF_TYPE_HANDLE, .flags = REQ, .ref = "person"},
    {.name = "week", .type = PERF_TYPE_WEEK, .flags = REQ},
    {.name = "goals",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_MAP,
     .fields = checkin_goal_fields,
     .about = "progress of goals this week",
     .id = "goal"},
    {.name = "mood", .type = PERF_TYPE_INT, .min = 1, .max = 5, .about = "1 low to 5 high"},
    {.name = "work",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_MAP,
     .fields = checkin_work_fields,
     .about = "the week's commits, merges and tags the person kept (perf checkin --from-work)",
     .id = "commit"},
    {.name = "cycle", .type = PERF_TYPE_HANDLE, .about = "the cycle of inquiry open that week"},
    {.name = "created", .type = PERF_TYPE_TIME},
    {.name = "updated", .type = PERF_TYPE_TIME},
    {.name = NULL},
};

/* ---- note ---- */

static const struct perf_schema_field action_fields[] = {
    {.name = "id", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "a slug or a few random characters"},
    {.name = "owner", .type = PERF_TYPE_HANDLE, .flags = REQ, .ref = "person"},
    {.name = "text", .type = PERF_TYPE_STRING, .flags = REQ},
    {.name = "due", .type = PERF_TYPE_DATE},
    {.name = "done", .type = PERF_TYPE_BOOL},
    {.name = NULL},
};

static const struct perf_schema_field note_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "person", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "whose notes", .ref = "person"},
    {.name = "date", .type = PERF_TYPE_DATE, .flags = REQ},
    {.name = "title", .type = PERF_TYPE_STRING},
    {.name = "with",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_HANDLE,
     .about = "the others in the conversation",
     .ref = "person"},
    {.name = "actions", .type = PERF_TYPE_LIST, .item = PERF_TYPE_MAP, .fields = action_fields, .id = "id"},
    {.name = "private", .type = PERF_TYPE_BOOL, .about = "the body is encrypted to the readers"},
    {.name = "readers", .type = PERF_TYPE_LIST, .item = PERF_TYPE_HANDLE, .about = "who can read a private body"},
    {.name = NULL},
};

/* ---- feedback ---- */

static const struct perf_schema_field feedback_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "person", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "who asks", .ref = "person"},
    {.name = "about", .type = PERF_TYPE_STRING, .flags = REQ, .about = "what feedback is wanted on"},
    {.name = "asked", .type = PERF_TYPE_LIST, .flags = REQ, .item = PERF_TYPE_HANDLE, .ref = "person"},
    {.name = "due", .type = PERF_TYPE_DATE},
    {.name = "created", .type = PERF_TYPE_TIME},
    {.name = "area",
     .type = PERF_TYPE_HANDLE,
     .about = "the expectation area the request is about; answers inherit it"},
    {.name = "goal",
     .type = PERF_TYPE_HANDLE,
     .about = "the goal the request is about; answers inherit it",
     .ref = "goal"},
    {.name = NULL},
};

/* ---- praise ---- */

static const struct perf_schema_field praise_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "person", .type = PERF_TYPE_HANDLE, .flags = REQ, .about = "who is praised", .ref = "person"},
    {.name = "from", .type = PERF_TYPE_HANDLE, .flags = REQ, .ref = "person"},
    {.name = "value", .type = PERF_TYPE_STRING, .about = "the team value it shows"},
    {.name = "at", .type = PERF_TYPE_TIME, .flags = REQ},
    {.name = "area", .type = PERF_TYPE_HANDLE, .about = "the key of the person's expectation area it speaks to"},
    {.name = NULL},
};

/* ---- cycle ---- */

static const struct perf_schema_field cycle_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "id", .type = PERF_TYPE_HANDLE, .flags = REQ},
    {.name = "question", .type = PERF_TYPE_STRING, .flags = REQ},
    {.name = "from", .type = PERF_TYPE_DATE, .flags = REQ},
    {.name = "until", .type = PERF_TYPE_DATE, .flags = REQ},
    {.name = "status", .type = PERF_TYPE_ENUM, .flags = REQ, .values = cycle_status},
    {.name = "closed", .type = PERF_TYPE_TIME, .about = "when it was closed"},
    {.name = NULL},
};

/* ---- norm ---- */

/* A change to the program a norm carries, applied when it is adopted. */
static const struct perf_schema_field change_fields[] = {
    {.name = "key",
     .type = PERF_TYPE_STRING,
     .flags = REQ,
     .about = "a field of .perf/config.yaml (cadences.checkin) or templates.<kind>"},
    {.name = "value", .type = PERF_TYPE_TEXT, .flags = REQ, .about = "the new value"},
    {.name = NULL},
};

static const struct perf_schema_field norm_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "title", .type = PERF_TYPE_STRING, .flags = REQ},
    {.name = "proposed_by", .type = PERF_TYPE_HANDLE, .flags = REQ, .ref = "person"},
    /* Adoption follows from agreements, so it must not make them stale. */
    {.name = "status", .type = PERF_TYPE_ENUM, .flags = REQ | UNVERSIONED, .values = norm_status},
    {.name = "changes",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_MAP,
     .fields = change_fields,
     .about = "changes to the program, applied on adoption",
     .id = "key"},
    {.name = "agreed_by",
     .type = PERF_TYPE_LIST,
     .flags = UNVERSIONED,
     .item = PERF_TYPE_MAP,
     .fields = agreement_fields,
     .id = "who"},
    {.name = "adopted", .type = PERF_TYPE_TIME, .flags = UNVERSIONED, .about = "when it was adopted"},
    {.name = NULL},
};

/* ---- reply ---- */

static const struct perf_schema_field reply_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "author", .type = PERF_TYPE_HANDLE, .flags = REQ, .ref = "person"},
    {.name = "to", .type = PERF_TYPE_PATH, .flags = REQ, .about = "the path of the document answered"},
    {.name = "at", .type = PERF_TYPE_TIME, .flags = REQ},
    {.name = "private", .type = PERF_TYPE_BOOL, .about = "the body is encrypted to the readers"},
    {.name = "readers", .type = PERF_TYPE_LIST, .item = PERF_TYPE_HANDLE, .about = "who can read a private body"},
    {.name = "area", .type = PERF_TYPE_HANDLE, .about = "a feedback answer: the expectation area it speaks to"},
    {.name = NULL},
};

/* ---- retro ---- */

static const struct perf_schema_field retro_fields[] = {
    {.name = "kind", .type = PERF_TYPE_KIND, .flags = REQ},
    {.name = "date", .type = PERF_TYPE_DATE, .flags = REQ, .about = "the day the team held it"},
    {.name = "title", .type = PERF_TYPE_STRING, .about = "what it looked back on (a sprint, a launch)"},
    {.name = "went_well", .type = PERF_TYPE_LIST, .item = PERF_TYPE_STRING, .about = "what went well"},
    {.name = "to_change", .type = PERF_TYPE_LIST, .item = PERF_TYPE_STRING, .about = "what to change"},
    {.name = "actions",
     .type = PERF_TYPE_LIST,
     .item = PERF_TYPE_MAP,
     .fields = action_fields,
     .about = "what the team will do",
     .id = "id"},
    {.name = NULL},
};

/* ---- how paths and fields agree ---- */

static const struct perf_schema_bind bind_person[] = {{"person", PERF_PART_HANDLE}, {NULL, PERF_PART_NONE}};
static const struct perf_schema_bind bind_checkin[] = {
    {"person", PERF_PART_HANDLE}, {"week", PERF_PART_WEEK}, {NULL, PERF_PART_NONE}};
static const struct perf_schema_bind bind_note[] = {
    {"person", PERF_PART_HANDLE}, {"date", PERF_PART_DATE}, {NULL, PERF_PART_NONE}};
static const struct perf_schema_bind bind_praise[] = {
    {"person", PERF_PART_HANDLE}, {"from", PERF_PART_AUTHOR}, {"at", PERF_PART_STAMP}, {NULL, PERF_PART_NONE}};
static const struct perf_schema_bind bind_retro[] = {{"date", PERF_PART_DATE}, {NULL, PERF_PART_NONE}};
static const struct perf_schema_bind bind_cycle[] = {{"id", PERF_PART_SLUG}, {NULL, PERF_PART_NONE}};
static const struct perf_schema_bind bind_reply[] = {
    {"author", PERF_PART_AUTHOR}, {"to", PERF_PART_PARENT}, {"at", PERF_PART_STAMP}, {NULL, PERF_PART_NONE}};

/* ---- templates: prompts are HTML comments, which rendering drops ---- */

static const char checkin_template[] = "## Learned\n"
                                       "<!-- What did you learn on the job this week? A line or two is plenty. -->\n"
                                       "\n"
                                       "## Working towards\n"
                                       "<!-- Which goal moved, and what is the next small step? -->\n"
                                       "\n"
                                       "## Stuck\n"
                                       "<!-- Anything in your way? \"Nothing\" is a fine answer. -->\n"
                                       "\n"
                                       "## Ask\n"
                                       "<!-- What would help, and from whom? -->\n";

static const char expectations_template[] =
    "## Role\n"
    "<!-- What this role is here to do, in our words rather than a job ad's. -->\n"
    "\n"
    "## Strengths\n"
    "<!-- What you already bring that we want more of. Be specific. -->\n"
    "\n"
    "## Areas for development\n"
    "<!-- One to three things to grow into next, and what support looks like. -->\n"
    "\n"
    "## How this connects to our ethos\n"
    "<!-- How this work shows what we care about as a team. -->\n";

static const char goal_template[] = "## What success looks like\n"
                                    "<!-- How will you know you got there? -->\n"
                                    "\n"
                                    "## First steps\n"
                                    "<!-- The next one or two things you will do. -->\n";

static const char note_template[] = "## Agenda\n"
                                    "<!-- What each of you wants to talk about. -->\n"
                                    "\n"
                                    "## Notes\n"
                                    "<!-- What was said and decided, in words you would both sign. -->\n"
                                    "\n"
                                    "## Actions\n"
                                    "<!-- One per line, for example:\n"
                                    "- [ ] @handle what, by YYYY-MM-DD -->\n";

static const char feedback_template[] = "## What I would like feedback on\n"
                                        "<!-- A piece of work, a habit, a meeting: something specific. -->\n"
                                        "\n"
                                        "## Why now\n"
                                        "<!-- What you are working on that this would help with. -->\n"
                                        "\n"
                                        "## Questions\n"
                                        "- What should I keep doing?\n"
                                        "- What could I try doing differently?\n";

static const char cycle_template[] =
    "## The question\n"
    "<!-- What we want to understand better by the end of this cycle. -->\n"
    "\n"
    "## How we will explore it\n"
    "<!-- Small experiments, reading, pairing, visits. -->\n"
    "\n"
    "## Reflection\n"
    "<!-- At the end: what did we try, what did we notice, what will we keep doing? -->\n";

static const char norm_template[] = "## The norm\n"
                                    "<!-- One or two sentences anyone could follow. -->\n"
                                    "\n"
                                    "## Why\n"
                                    "<!-- The problem it solves or the value it protects. -->\n"
                                    "\n"
                                    "## How we will know it works\n"
                                    "<!-- And when we will look at it again. -->\n";

static const char retro_template[] = "## What we talked about\n"
                                     "<!-- The story of the stretch we looked back on, in the team's words. -->\n";

/* ---- how perf log words their commits ---- */

static const struct perf_schema_say person_log[] = {
    {"prefix=admit: ", "{who} admitted {rest}"},
    {"prefix=person: ", "{who} recorded that {rest}"},
    {NULL, "{who} joined the team"},
    {NULL, NULL},
};

static const struct perf_schema_say expectations_log[] = {
    {"trailer=Perf-Agree", "{who} agreed to {whose} expectations"},
    {NULL, "{who} edited {whose} expectations"},
    {NULL, NULL},
};

static const struct perf_schema_say goal_log[] = {
    {"action=add", "{who} added goal {name}"},
    {"action=done", "{who} finished goal {name}"},
    {"action=drop", "{who} dropped goal {name}"},
    {NULL, "{who} updated goal {name}{change}"},
    {NULL, NULL},
};

static const struct perf_schema_say checkin_log[] = {
    {"subject=(edited)", "{who} edited the check-in for {week}"},
    {NULL, "{who} checked in for {week}"},
    {NULL, NULL},
};

static const struct perf_schema_say norm_log[] = {
    {"trailer=Perf-Adopted", "{who} agreed to norm {name}, which is now adopted"},
    {"subject=proposed", "{who} proposed norm {name}"},
    {NULL, "{who} agreed to norm {name}"},
    {NULL, NULL},
};

static const struct perf_schema_say reply_log[] = {
    {"focus", "{who} replied{line}"},
    {NULL, "{who} replied to {to}{line}"},
    {NULL, NULL},
};

static const struct perf_schema_say retro_log[] = {
    {"action=add", "{who} added to the retro of {date}"},
    {"action=done", "{who} marked an action of the retro of {date} done"},
    {NULL, "{who} held the retro of {date}"},
    {NULL, NULL},
};

/* ---- the kinds ---- */

static const struct perf_schema_kind kind_config = {
    .name = "config",
    .noun = "program",
    .summary = "the team's program",
    .pattern = ".perf/config.yaml",
    .layout = ".perf/config.yaml",
    .fenced = false,
    .rule = PERF_RULE_MAINTAINER,
    .fields = config_fields,
};

static const struct perf_schema_kind kind_person = {
    .name = "person",
    .target = "person",
    .noun = "person",
    .log = person_log,
    .summary = "a person's profile",
    .pattern = "people/{handle}.md",
    .layout = "people/<handle>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_OWNER_OR_MAINTAINER,
    .fields = person_fields,
};

static const struct perf_schema_kind kind_expectations = {
    .name = "expectations",
    .target = "expect",
    .noun = "expectations",
    .traits = PERF_KIND_REPORTED | PERF_KIND_INBOX,
    .log = expectations_log,
    .summary = "professional expectations",
    .pattern = "expectations/{handle}.md",
    .layout = "expectations/<handle>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_OWNER_OR_LEAD,
    .agreement = "agreed_by",
    .fields = expectations_fields,
    .binds = bind_person,
    .template_body = expectations_template,
};

static const struct perf_schema_kind kind_goal = {
    .name = "goal",
    .target = "goal",
    .noun = "goal",
    .traits = PERF_KIND_REPORTED | PERF_KIND_INBOX,
    .log = goal_log,
    .summary = "a personal goal",
    .pattern = "goals/{handle}/{slug}.md",
    .layout = "goals/<handle>/<slug>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_OWNER,
    .fields = goal_fields,
    .binds = bind_person,
    .template_body = goal_template,
};

static const struct perf_schema_kind kind_checkin = {
    .name = "checkin",
    .target = "checkin",
    .noun = "check-in",
    .traits = PERF_KIND_REPORTED | PERF_KIND_INBOX,
    .log = checkin_log,
    .summary = "a weekly check-in",
    .pattern = "checkins/{handle}/{week}.md",
    .layout = "checkins/<handle>/<YYYY>-W<ww>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_OWNER,
    .fields = checkin_fields,
    .binds = bind_checkin,
    .template_body = checkin_template,
};

static const struct perf_schema_kind kind_note = {
    .name = "note",
    .target = "note",
    .noun = "note",
    .traits = PERF_KIND_REPORTED | PERF_KIND_INBOX,
    .actions = "actions",
    .summary = "a 1:1 or group conversation and its actions",
    .pattern = "notes/{handle}/{date}-{slug}.md",
    .layout = "notes/<handle>/<YYYY-MM-DD>-<slug>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_ADDRESSED,
    .addressed = "with",
    .fields = note_fields,
    .binds = bind_note,
    .template_body = note_template,
};

static const struct perf_schema_kind kind_feedback = {
    .name = "feedback",
    .target = "feedback",
    .noun = "feedback request",
    .traits = PERF_KIND_REPORTED | PERF_KIND_INBOX,
    .summary = "a request for feedback; answers are its replies",
    .pattern = "feedback/{handle}/{slug}.md",
    .layout = "feedback/<handle>/<id>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_OWNER,
    .fields = feedback_fields,
    .binds = bind_person,
    .template_body = feedback_template,
};

static const struct perf_schema_kind kind_praise = {
    .name = "praise",
    .target = "praise",
    .noun = "praise",
    .traits = PERF_KIND_REPORTED,
    .summary = "recognition given to a person",
    .pattern = "praise/{handle}/{stamp}-{author}.md",
    .layout = "praise/<handle>/<timestamp>-<from>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_AUTHOR,
    .fields = praise_fields,
    .binds = bind_praise,
};

static const struct perf_schema_kind kind_cycle = {
    .name = "cycle",
    .target = "cycle",
    .noun = "cycle",
    .summary = "a cycle of inquiry: a question over a span of time",
    .pattern = "cycles/{slug}.md",
    .layout = "cycles/<id>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_MAINTAINER,
    .fields = cycle_fields,
    .binds = bind_cycle,
    .template_body = cycle_template,
};

static const struct perf_schema_kind kind_norm = {
    .name = "norm",
    .target = "norm",
    .noun = "norm",
    .log = norm_log,
    .summary = "a team norm, proposed and agreed",
    .pattern = "norms/{slug}.md",
    .layout = "norms/<slug>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_ANYONE,
    .agreement = "agreed_by",
    .fields = norm_fields,
    .template_body = norm_template,
};

static const struct perf_schema_kind kind_reply = {
    .name = "reply",
    .noun = "reply",
    .traits = PERF_KIND_REPORTED,
    .log = reply_log,
    .summary = "an answer to a document, one file per message",
    .pattern = "{parent}/{stamp}-{author}.md",
    .layout = "<doc without .md>/<timestamp>-<author>.md",
    .fenced = true,
    .rule = PERF_RULE_AUTHOR,
    .fields = reply_fields,
    .binds = bind_reply,
};

static const struct perf_schema_kind kind_retro = {
    .name = "retro",
    .target = "retro",
    .noun = "retro",
    .summary = "a team retrospective: what went well, what to change, and actions",
    .pattern = "retros/{date}.md",
    .layout = "retros/<YYYY-MM-DD>.md",
    .fenced = true,
    .answerable = true,
    .rule = PERF_RULE_APPEND,
    .fields = retro_fields,
    .binds = bind_retro,
    .template_body = retro_template,
    .traits = PERF_KIND_REPORTED | PERF_KIND_TEAM,
    .actions = "actions",
    .log = retro_log,
};

/* Appended only: a kind's place is its number in the report cache (perf-format(5), CACHE). */
static const struct perf_schema_kind *const all_kinds[] = {
    &kind_config, &kind_person, &kind_expectations, &kind_goal,  &kind_checkin, &kind_note, &kind_feedback,
    &kind_praise, &kind_cycle,  &kind_norm,         &kind_reply, &kind_retro,   NULL,
};

const struct perf_schema_kind *const *perf_schema_kinds(void)
{
	return all_kinds;
}

const struct perf_schema_kind *perf_schema_kind(const char *name)
{
	size_t i;

	for (i = 0; name && all_kinds[i]; i++)
		if (!strcmp(all_kinds[i]->name, name))
			return all_kinds[i];
	return NULL;
}

const struct perf_schema_kind *perf_schema_kind_by_target(const char *word)
{
	for (size_t i = 0; word && all_kinds[i]; i++)
		if (all_kinds[i]->target && (!strcmp(all_kinds[i]->target, word) || !strcmp(all_kinds[i]->name, word)))
			return all_kinds[i];
	return NULL;
}

size_t perf_schema_kind_index(const struct perf_schema_kind *kind)
{
	size_t i;

	for (i = 0; all_kinds[i] && all_kinds[i] != kind; i++)
		;
	return i;
}

size_t perf_schema_folder(const struct perf_schema_kind *kind, const char **out)
{
	const char *p = kind->pattern;

	*out = p;
	if (p[0] == '{' || p[0] == '.' || !strchr(p, '/'))
		return 0;
	return strcspn(p, "/");
}

const struct perf_schema_kind *perf_schema_kind_of_folder(const char *name, size_t n)
{
	for (size_t i = 0; all_kinds[i]; i++) {
		const char *folder;
		size_t fn = perf_schema_folder(all_kinds[i], &folder);
		if (fn && fn == n && !memcmp(folder, name, n))
			return all_kinds[i];
	}
	return NULL;
}

bool perf_schema_per_person(const struct perf_schema_kind *kind)
{
	const struct perf_schema_bind *b;

	for (b = kind->binds; b && b->field; b++)
		if (b->part == PERF_PART_HANDLE && !strcmp(b->field, "person"))
			return true;
	return false;
}

bool perf_schema_one_per_person(const struct perf_schema_kind *kind)
{
	const char *folder;
	size_t n = perf_schema_folder(kind, &folder);

	return n && perf_schema_per_person(kind) && !strcmp(kind->pattern + n, "/{handle}.md");
}

bool perf_schema_ref_path(char *out, size_t outsz, const struct perf_schema_field *field, const char *value,
                          const struct perf_schema_match *from)
{
	const struct perf_schema_kind *to = field && field->ref ? perf_schema_kind(field->ref) : NULL;
	const char *folder;
	size_t n;

	if (!to || !(n = perf_schema_folder(to, &folder)))
		return false;
	if (to == perf_schema_kind("person") || !perf_schema_per_person(to))
		snprintf(out, outsz, "%.*s/%s.md", (int)n, folder, value);
	else
		snprintf(out, outsz, "%.*s/%s/%s.md", (int)n, folder, from ? from->handle : "", value);
	return true;
}

static const struct perf_schema_field *find_field(const struct perf_schema_field *fields, const char *name)
{
	for (; fields && fields->name; fields++)
		if (!strcmp(fields->name, name))
			return fields;
	return NULL;
}

const struct perf_schema_field *perf_schema_field(const struct perf_schema_kind *kind, const char *name)
{
	return kind && name ? find_field(kind->fields, name) : NULL;
}

const struct perf_schema_field *perf_schema_field_at(const struct perf_schema_kind *kind, const char *field)
{
	const struct perf_schema_field *fields = kind ? kind->fields : NULL, *f = NULL;
	char name[64];

	while (fields && *field) {
		size_t n = strcspn(field, ".[");
		if (n >= sizeof(name))
			return NULL;
		memcpy(name, field, n);
		name[n] = '\0';
		for (f = fields; f->name && strcmp(f->name, name); f++)
			;
		if (!f->name)
			return NULL;
		field += n;
		if (*field == '[')
			field += strcspn(field, "]") + (field[strcspn(field, "]")] == ']');
		if (*field == '.')
			field++;
		fields = f->fields;
	}
	return *field ? NULL : f;
}

const char *perf_schema_list_id(const struct perf_schema_kind *kind, const char *field)
{
	const struct perf_schema_field *f = perf_schema_field_at(kind, field);

	return f ? f->id : "id";
}

enum perf_schema_rule perf_schema_rule(const struct perf_schema_kind *kind)
{
	return kind ? kind->rule : PERF_RULE_MAINTAINER;
}

const char *perf_schema_rule_name(enum perf_schema_rule rule)
{
	if ((size_t)rule >= sizeof(rule_names) / sizeof(*rule_names) - 1)
		return "unknown";
	return rule_names[rule];
}

int perf_schema_rule_parse(const char *name, enum perf_schema_rule *out, struct perf_error *err)
{
	size_t i;

	for (i = 0; name && rule_names[i]; i++) {
		if (!strcmp(rule_names[i], name)) {
			if (out)
				*out = (enum perf_schema_rule)i;
			return 0;
		}
	}
	return perf_error(err, PERF_EINVALID,
	                  "'%s' is not a permission rule: use anyone, owner, owner-or-lead, owner-or-maintainer, "
	                  "addressed, author, maintainer or append",
	                  name ? name : "");
}

const char *perf_schema_template(const struct perf_schema_kind *kind)
{
	return kind ? kind->template_body : NULL;
}

/* ---- paths ---- */

/* 20261123T100000Z, a real time; writes its RFC 3339 form. */
static bool parse_stamp(const char *s, size_t n, char rfc[21])
{
	size_t i;

	if (n != 16 || s[8] != 'T' || s[15] != 'Z')
		return false;
	for (i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)s[i]))
			return false;
	snprintf(rfc, 21, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6, s + 9, s + 11, s + 13);
	return perf_value_parse_time(rfc, NULL, NULL) == 0;
}

static size_t part_width(const char *part)
{
	if (!strcmp(part, "week"))
		return 8;
	if (!strcmp(part, "date"))
		return 10;
	if (!strcmp(part, "stamp"))
		return 16;
	return 0; /* variable: up to the literal that ends the component */
}

/* Checks one part's text and stores it; why says what is wrong. */
static bool take_part(struct perf_schema_match *m, const char *part, const char *s, size_t n, char *why, size_t whysz)
{
	char tmp[PERF_HANDLE_MAX + 2];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1; /* too long for any part: fails below */
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!strcmp(part, "week")) {
		if (perf_value_parse_week(tmp, NULL, NULL, NULL)) {
			snprintf(why, whysz, "'%s' is not an ISO week", tmp);
			return false;
		}
		memcpy(m->week, tmp, n + 1);
	} else if (!strcmp(part, "date")) {
		if (perf_value_parse_date(tmp, NULL, NULL, NULL, NULL)) {
			snprintf(why, whysz, "'%s' is not a date", tmp);
			return false;
		}
		memcpy(m->date, tmp, n + 1);
	} else if (!strcmp(part, "stamp")) {
		if (!parse_stamp(tmp, n, m->time)) {
			snprintf(why, whysz, "'%s' is not a timestamp like 20261123T100000Z", tmp);
			return false;
		}
		memcpy(m->stamp, tmp, n + 1);
	} else {
		char *dst = !strcmp(part, "handle") ? m->handle : !strcmp(part, "author") ? m->author : m->slug;
		if (!perf_value_is_handle(tmp)) {
			snprintf(why, whysz, "'%s' is not a valid %s", tmp, part);
			return false;
		}
		memcpy(dst, tmp, n + 1);
	}
	return true;
}

/* Matches one path component s[0..n) against one pattern component p[0..pn). */
static bool match_component(struct perf_schema_match *m, const char *s, size_t n, const char *p, size_t pn, char *why,
                            size_t whysz)
{
	const char *whole = s;
	size_t wn = n;

	while (pn > 0) {
		if (*p == '{') {
			const char *close = memchr(p, '}', pn);
			char part[16];
			size_t plen = (size_t)(close - p - 1), width, rest;

			if (plen >= sizeof(part))
				return false;
			memcpy(part, p + 1, plen);
			part[plen] = '\0';
			pn -= plen + 2;
			p = close + 1;
			width = part_width(part);
			if (!width || !memchr(p, '{', pn)) {
				/* What follows is literal up to the end: the part is all before it. */
				rest = pn;
				if (n < rest || memcmp(s + n - rest, p, rest)) {
					snprintf(why, whysz, "'%.*s' does not end in '%.*s'", (int)n, s, (int)rest, p);
					return false;
				}
				width = n - rest;
			} else if (n < width) {
				snprintf(why, whysz, "'%.*s' is not of that form", (int)wn, whole);
				return false;
			}
			if (!take_part(m, part, s, width, why, whysz))
				return false;
			s += width;
			n -= width;
		} else {
			if (n == 0 || *s != *p) {
				snprintf(why, whysz, "'%.*s' is not of that form", (int)wn, whole);
				return false;
			}
			s++, n--, p++, pn--;
		}
	}
	if (n) {
		snprintf(why, whysz, "'%.*s' is not of that form", (int)wn, whole);
		return false;
	}
	return true;
}

static size_t count_components(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '/';
	return n;
}

/* Matches a whole path against a pattern without {parent}. */
static bool match_pattern(struct perf_schema_match *m, const char *path, const char *pattern, char *why, size_t whysz)
{
	if (count_components(path) != count_components(pattern)) {
		snprintf(why, whysz, "it has %zu parts, not %zu", count_components(path), count_components(pattern));
		return false;
	}
	while (*path) {
		const char *se = strchr(path, '/'), *pe = strchr(pattern, '/');
		size_t sn = se ? (size_t)(se - path) : strlen(path);
		size_t pn = pe ? (size_t)(pe - pattern) : strlen(pattern);

		if (!match_component(m, path, sn, pattern, pn, why, whysz))
			return false;
		path += sn + (se != NULL);
		pattern += pn + (pe != NULL);
	}
	return true;
}

static size_t first_len(const char *s)
{
	const char *slash = strchr(s, '/');
	return slash ? (size_t)(slash - s) : strlen(s);
}

/* The kind whose folder is the path's first component, or NULL. */
static const struct perf_schema_kind *folder_kind(const char *path)
{
	size_t i, n = first_len(path);

	for (i = 0; all_kinds[i]; i++) {
		const char *p = all_kinds[i]->pattern;
		if (p[0] != '{' && first_len(p) == n && !strncmp(p, path, n))
			return all_kinds[i];
	}
	return NULL;
}

static int match_document(struct perf_schema_match *m, const char *path, bool allow_reply, struct perf_error *err);

static int match_reply(struct perf_schema_match *m, const char *path, struct perf_error *err)
{
	const char *last = strrchr(path, '/'), *leaf;
	struct perf_schema_match parent;
	char why[160] = "";
	size_t plen;

	memset(m, 0, sizeof(*m));
	if (!last)
		return perf_error(err, PERF_EINVALID, "'%s' is not a reply path", path);
	plen = (size_t)(last - path);
	if (plen + 3 > PERF_SCHEMA_PATH_MAX)
		return perf_error(err, PERF_EINVALID, "'%s' is too long", path);
	/* The reply's own name: its pattern after "{parent}/". */
	leaf = strchr(kind_reply.pattern, '/') + 1;
	if (!match_component(m, last + 1, strlen(last + 1), leaf, strlen(leaf), why, sizeof(why)))
		return perf_error(err, PERF_EINVALID, "'%s' is not a reply path (%s): %s", path, kind_reply.layout,
		                  why);
	memcpy(m->parent, path, plen);
	memcpy(m->parent + plen, ".md", 4);
	if (match_document(&parent, m->parent, false, err)) {
		perf_error_prefix(err, "'%s' is not a reply path: it answers no document", path);
		return PERF_EINVALID;
	}
	if (!parent.kind->answerable)
		return perf_error(err, PERF_EINVALID, "'%s' is not a reply path: %s documents take no replies", path,
		                  parent.kind->name);
	m->parent_kind = parent.kind;
	memcpy(m->parent_handle, parent.handle, sizeof(m->parent_handle));
	m->kind = &kind_reply;
	return 0;
}

static int match_document(struct perf_schema_match *m, const char *path, bool allow_reply, struct perf_error *err)
{
	const struct perf_schema_kind *k = folder_kind(path);
	char why[160] = "";

	memset(m, 0, sizeof(*m));
	if (!k)
		return perf_error(err, PERF_ENOTFOUND, "'%s' is not in a folder perf keeps documents in", path);
	if (match_pattern(m, path, k->pattern, why, sizeof(why))) {
		m->kind = k;
		return 0;
	}
	if (!k->fenced)
		return perf_error(err, PERF_ENOTFOUND, "'%s' is not a document perf keeps", path);
	/* Deeper than the kind's own files: a reply, or nothing. */
	if (allow_reply && count_components(path) > count_components(k->pattern))
		return match_reply(m, path, err);
	return perf_error(err, PERF_EINVALID, "'%s' is not a %s path (%s): %s", path, k->name, k->layout, why);
}

int perf_schema_match_path(struct perf_schema_match *out, const char *path, struct perf_error *err)
{
	struct perf_schema_match local;
	const char *c;
	size_t len;
	int rc;

	if (!out)
		out = &local;
	memset(out, 0, sizeof(*out));
	if (!path || !*path)
		return perf_error(err, PERF_EINVALID, "empty path");
	len = strlen(path);
	if (len > PERF_SCHEMA_PATH_MAX)
		return perf_error(err, PERF_EINVALID, "path '%.60s...' is too long (at most %d bytes)", path,
		                  PERF_SCHEMA_PATH_MAX);
	if (path[0] == '/')
		return perf_error(err, PERF_EINVALID, "'%s' is absolute: paths are relative to the repository", path);
	if (strchr(path, '\\'))
		return perf_error(err, PERF_EINVALID, "'%s' contains '\\': use '/' between folders", path);
	for (c = path; *c;) {
		size_t n = first_len(c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return perf_error(err, PERF_EINVALID, "'%s' has an empty, '.' or '..' component", path);
		c += n;
		if (*c == '/' && !*++c)
			return perf_error(err, PERF_EINVALID, "'%s' ends with '/'", path);
	}
	rc = match_document(out, path, true, err);
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* ---- validation ---- */

struct vctx {
	const struct perf_schema_kind *kind;
	const char *name;
	long shift;
	perf_schema_report_fn report;
	void *payload;
	size_t count;
};

static void problem(struct vctx *v, const struct perf_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct vctx *v, const struct perf_node *at, const char *fmt, ...)
{
	char msg[512];
	size_t line = 1, col = 1;
	va_list ap;

	if (at && at->line) {
		long l = (long)at->line + v->shift;
		line = l > 0 ? (size_t)l : 1;
		col = at->col ? at->col : 1;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->count++;
	if (v->report)
		v->report(v->payload, v->name, line, col, msg);
}

/* A value for messages: 'text' (clipped, one line), or what the node is. */
static const char *show(const struct perf_node *n, char *out, size_t sz)
{
	size_t len, max = 60;
	bool clipped = false;

	if (n->type == PERF_NODE_MAP)
		return "a mapping";
	if (n->type == PERF_NODE_SEQ)
		return "a list";
	len = strcspn(n->text, "\r\n");
	if (len < n->len)
		clipped = true;
	if (len > max) {
		len = perf_utf8_cut(n->text, max);
		clipped = true;
	}
	snprintf(out, sz, "'%.*s%s'", (int)len, n->text, clipped ? "..." : "");
	return out;
}

static bool is_null(const struct perf_node *n)
{
	return n->type == PERF_NODE_SCALAR && n->style == PERF_STYLE_PLAIN &&
	       (!n->text[0] || !strcmp(n->text, "~") || !strcmp(n->text, "null") || !strcmp(n->text, "Null") ||
	        !strcmp(n->text, "NULL"));
}

static bool is_quoted(const struct perf_node *n)
{
	return n->style == PERF_STYLE_SINGLE || n->style == PERF_STYLE_DOUBLE;
}

static bool is_hex_version(const char *s)
{
	size_t i;

	for (i = 0; i < PERF_SCHEMA_VERSION_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[i] == '\0';
}

static bool is_email(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n<>");
}

static void join_enum(const char *const *values, char *out, size_t sz)
{
	size_t used = 0;

	out[0] = '\0';
	for (; *values && used < sz; values++) {
		int w = snprintf(out + used, sz - used, "%s%s", used ? ", " : "", *values);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static bool check_value(struct vctx *v, const struct perf_schema_field *f, enum perf_schema_type type,
                        const struct perf_node *n, const char *label);

static void check_fields(struct vctx *v, const struct perf_schema_field *fields, const struct perf_node *map,
                         const char *prefix, bool top)
{
	char label[160];

	for (; fields->name; fields++) {
		const struct perf_node *n = perf_node_get(map, fields->name);

		if (prefix)
			snprintf(label, sizeof(label), "%s.%s", prefix, fields->name);
		else
			snprintf(label, sizeof(label), "%s", fields->name);
		if (!n) {
			if (fields->flags & PERF_FIELD_REQUIRED)
				problem(v, top ? NULL : map, "missing required field '%s'", label);
			continue;
		}
		if (is_null(n)) {
			if (fields->flags & PERF_FIELD_REQUIRED)
				problem(v, n, "missing value for required field '%s'", label);
			continue;
		}
		check_value(v, fields, fields->type, n, label);
	}
}

static bool need_scalar(struct vctx *v, const struct perf_node *n, const char *label, const char *what)
{
	char buf[80];

	if (n->type == PERF_NODE_SCALAR)
		return true;
	problem(v, n, "'%s' must be %s, not %s", label, what, show(n, buf, sizeof(buf)));
	return false;
}

/* Checks n as a value of type (f gives limits); reports and returns false when wrong. */
static bool check_value(struct vctx *v, const struct perf_schema_field *f, enum perf_schema_type type,
                        const struct perf_node *n, const char *label)
{
	char buf[80], list[200], sub[160];
	long num;
	bool b;
	size_t i;

	switch (type) {
	case PERF_TYPE_KIND:
		if (!need_scalar(v, n, label, v->kind->name))
			return false;
		if (strcmp(n->text, v->kind->name)) {
			problem(v, n, "'%s' must be %s, not %s", label, v->kind->name, show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_STRING:
		if (!need_scalar(v, n, label, "a string"))
			return false;
		if (strcspn(n->text, "\r\n") < n->len) {
			problem(v, n, "'%s' must be one line", label);
			return false;
		}
		if (!n->text[0]) {
			problem(v, n, "'%s' must not be empty", label);
			return false;
		}
		return true;
	case PERF_TYPE_TEXT:
		return need_scalar(v, n, label, "text");
	case PERF_TYPE_INT:
		if (!need_scalar(v, n, label, "an integer"))
			return false;
		if (is_quoted(n) || perf_value_parse_int(n->text, &num, NULL)) {
			problem(v, n, "'%s' must be %s integer, not %s", label, is_quoted(n) ? "an unquoted" : "an",
			        show(n, buf, sizeof(buf)));
			return false;
		}
		if (num < f->min || num > f->max) {
			if (f->min == f->max)
				problem(v, n, "'%s' must be %ld, not %ld", label, f->min, num);
			else
				problem(v, n, "'%s' must be %ld-%ld, not %ld", label, f->min, f->max, num);
			return false;
		}
		return true;
	case PERF_TYPE_BOOL:
		if (!need_scalar(v, n, label, "true or false"))
			return false;
		if (is_quoted(n) || perf_value_parse_bool(n->text, &b, NULL)) {
			problem(v, n, "'%s' must be true or false, not %s", label, show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_DATE:
		if (!need_scalar(v, n, label, "a date (YYYY-MM-DD)"))
			return false;
		if (perf_value_parse_date(n->text, NULL, NULL, NULL, NULL)) {
			problem(v, n, "'%s' must be a date (YYYY-MM-DD), not %s", label, show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_TIME:
		if (!need_scalar(v, n, label, "a time"))
			return false;
		if (perf_value_parse_time(n->text, NULL, NULL) || n->text[n->len - 1] != 'Z') {
			problem(v, n, "'%s' must be a time in UTC (like 2026-11-23T10:00:00Z), not %s", label,
			        show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_WEEK:
		if (!need_scalar(v, n, label, "an ISO week"))
			return false;
		if (perf_value_parse_week(n->text, NULL, NULL, NULL)) {
			problem(v, n, "'%s' must be an ISO week (like 2026-W47), not %s", label,
			        show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_HANDLE:
		if (!need_scalar(v, n, label, "a handle"))
			return false;
		if (!perf_value_is_handle(n->text)) {
			problem(v, n, "'%s' must be a handle (a-z, 0-9 and '-', at most %d), not %s", label,
			        PERF_HANDLE_MAX, show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_EMAIL:
		if (!need_scalar(v, n, label, "an email address"))
			return false;
		if (!is_email(n->text)) {
			problem(v, n, "'%s' must be an email address, not %s", label, show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_ENUM:
		join_enum(f->values, list, sizeof(list));
		if (!need_scalar(v, n, label, "one of these"))
			return false;
		for (i = 0; f->values[i]; i++)
			if (!strcmp(f->values[i], n->text))
				return true;
		problem(v, n, "'%s' must be one of %s, not %s", label, list, show(n, buf, sizeof(buf)));
		return false;
	case PERF_TYPE_PATH: {
		struct perf_schema_match m;
		if (!need_scalar(v, n, label, "a document path"))
			return false;
		if (perf_schema_match_path(&m, n->text, NULL) || !m.kind->answerable) {
			problem(v, n, "'%s' must be the path of a document that takes replies, not %s", label,
			        show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	}
	case PERF_TYPE_VERSION:
		if (!need_scalar(v, n, label, "a version"))
			return false;
		if (!is_hex_version(n->text)) {
			problem(v, n, "'%s' must be a version (%d lowercase hex digits), not %s", label,
			        PERF_SCHEMA_VERSION_LEN, show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_QUORUM:
		if (!need_scalar(v, n, label, "majority, all or a number"))
			return false;
		if (strcmp(n->text, "majority") && strcmp(n->text, "all") &&
		    (is_quoted(n) || perf_value_parse_int(n->text, &num, NULL) || num < 1)) {
			problem(v, n, "'%s' must be majority, all or a number of people, not %s", label,
			        show(n, buf, sizeof(buf)));
			return false;
		}
		return true;
	case PERF_TYPE_LIST: {
		bool good = true;
		if (n->type != PERF_NODE_SEQ) {
			problem(v, n, "'%s' must be a list, not %s", label, show(n, buf, sizeof(buf)));
			return false;
		}
		for (i = 0; i < n->n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", label, i);
			good &= check_value(v, f, f->item, n->values[i], sub);
		}
		return good;
	}
	case PERF_TYPE_DICT: {
		bool good = true;
		if (n->type != PERF_NODE_MAP) {
			problem(v, n, "'%s' must be a mapping, not %s", label, show(n, buf, sizeof(buf)));
			return false;
		}
		for (i = 0; i < n->n; i++) {
			snprintf(sub, sizeof(sub), "%s.%s", label, n->keys[i]);
			good &= check_value(v, f, f->item, n->values[i], sub);
		}
		return good;
	}
	case PERF_TYPE_MAP: {
		size_t before = v->count;
		if (n->type != PERF_NODE_MAP) {
			problem(v, n, "'%s' must be a mapping, not %s", label, show(n, buf, sizeof(buf)));
			return false;
		}
		check_fields(v, f->fields, n, label, false);
		return v->count == before;
	}
	}
	return false;
}

static const char *part_text(const struct perf_schema_match *m, enum perf_schema_part part)
{
	switch (part) {
	case PERF_PART_HANDLE:
		return m->handle;
	case PERF_PART_SLUG:
		return m->slug;
	case PERF_PART_WEEK:
		return m->week;
	case PERF_PART_DATE:
		return m->date;
	case PERF_PART_STAMP:
		return m->time;
	case PERF_PART_AUTHOR:
		return m->author;
	case PERF_PART_PARENT:
		return m->parent;
	case PERF_PART_NONE:
		break;
	}
	return "";
}

/* The fields that repeat the path must say what the path says. */
static void check_binds(struct vctx *v, const struct perf_node *root, const struct perf_schema_match *m)
{
	const struct perf_schema_bind *b;
	char buf[80];

	for (b = v->kind->binds; b && b->field; b++) {
		const struct perf_node *n = perf_node_get(root, b->field);
		const char *want = part_text(m, b->part);
		bool same;

		if (!n || n->type != PERF_NODE_SCALAR || is_null(n))
			continue;
		if (b->part == PERF_PART_STAMP) {
			time_t a, c;
			same = !perf_value_parse_time(n->text, &a, NULL) && !perf_value_parse_time(want, &c, NULL) &&
			       a == c;
		} else {
			same = !strcmp(n->text, want);
		}
		if (!same)
			problem(v, n, "'%s' must be %s (from the path), not %s", b->field, want,
			        show(n, buf, sizeof(buf)));
	}
}

size_t perf_schema_validate_root(const struct perf_schema_kind *kind, const struct perf_node *root, const char *path,
                                 const char *name, long line_shift, perf_schema_report_fn report, void *payload)
{
	struct vctx v = {kind, name ? name : path ? path : "", line_shift, report, payload, 0};
	struct perf_schema_match m;
	struct perf_error err;
	bool path_ok = false;

	if (path) {
		if (perf_schema_match_path(&m, path, &err))
			problem(&v, NULL, "%s", err.msg);
		else if (m.kind != kind)
			problem(&v, NULL, "'%s' is the path of a %s, not of a %s", path, m.kind->name, kind->name);
		else
			path_ok = true;
	}
	if (!root || root->type != PERF_NODE_MAP) {
		problem(&v, root, "front matter must be a mapping of fields");
		return v.count;
	}
	check_fields(&v, kind->fields, root, NULL, true);
	if (path_ok)
		check_binds(&v, root, &m);
	return v.count;
}

size_t perf_schema_validate(const struct perf_schema_kind *kind, const struct perf_doc *doc, const char *path,
                            const char *name, perf_schema_report_fn report, void *payload)
{
	const struct perf_node *priv;
	size_t n, blen;
	const char *body;

	if (!name)
		name = path ? path : perf_doc_name(doc);
	n = perf_schema_validate_root(kind, perf_doc_root(doc), path, name, kind->fenced ? 0 : -1, report, payload);
	/* `private: true` promises sealed words: plain text under it would mislead everyone. */
	priv = perf_doc_get(doc, "private");
	if (perf_schema_field(kind, "private") && priv && perf_private_doc_is(doc)) {
		const struct perf_node *readers = perf_doc_get(doc, "readers");
		body = perf_doc_body(doc, &blen);
		if (!readers || readers->type != PERF_NODE_SEQ || !readers->n) {
			report(payload, name, priv->line, priv->col,
			       "a private document needs 'readers', a list of handles");
			n++;
		}
		if (!perf_private_body_is(body, blen)) {
			report(payload, name, priv->line, priv->col,
			       "'private: true', but the body is not a sealed block: its words are in plain text");
			n++;
		}
	}
	return n;
}

/* ---- files without fences ---- */

static const char bom[] = "\xEF\xBB\xBF";

/* perf_doc_parse counted the fence we added: give the file's own line back. */
static void unshift_message(struct perf_error *err, const char *name)
{
	size_t nlen = strlen(name);
	char *p, *end, rest[sizeof(err->msg)];
	long line;

	if (!err || strncmp(err->msg, name, nlen) || err->msg[nlen] != ':')
		return;
	p = err->msg + nlen + 1;
	line = strtol(p, &end, 10);
	if (end == p || line < 2)
		return;
	snprintf(rest, sizeof(rest), "%s", end);
	snprintf(p, sizeof(err->msg) - (size_t)(p - err->msg), "%ld%s", line - 1, rest);
}

int perf_schema_parse(struct perf_doc **out, const struct perf_schema_kind *kind, const char *buf, size_t len,
                      const char *name, struct perf_error *err)
{
	struct perf_buf w = PERF_BUF_INIT;
	size_t at = 0, line = 1, skip = 0;
	int rc;

	*out = NULL;
	if (kind->fenced)
		return perf_doc_parse(out, buf, len, name, err);
	if (len >= 3 && !memcmp(buf, bom, 3))
		skip = 3;
	for (at = skip; at < len; line++) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;
		if (n && buf[at + n - 1] == '\r')
			n--;
		/* A document marker ('---' or '...', alone or before a space) would end the
		 * mapping early and leave the rest outside it. */
		if (n >= 3 && (!memcmp(buf + at, "---", 3) || !memcmp(buf + at, "...", 3)) &&
		    (n == 3 || buf[at + 3] == ' ' || buf[at + 3] == '\t'))
			return perf_error(err, PERF_EINVALID,
			                  "%s:%zu:1: '%.3s' is not allowed: %s is plain YAML, one mapping without "
			                  "document markers",
			                  name, line, buf + at, kind->layout);
		at = nl ? (size_t)(nl - buf) + 1 : len;
	}
	if (perf_buf_add(&w, buf, skip) || perf_buf_puts(&w, "---\n") || perf_buf_add(&w, buf + skip, len - skip) ||
	    (len > skip && buf[len - 1] != '\n' && perf_buf_putc(&w, '\n')) || perf_buf_puts(&w, "---\n")) {
		perf_buf_release(&w);
		return perf_error(err, PERF_ENOMEM, "out of memory");
	}
	rc = perf_doc_parse(out, w.ptr, w.len, name, err);
	if (rc)
		unshift_message(err, name);
	perf_buf_release(&w);
	return rc;
}

int perf_schema_text(struct perf_buf *out, const struct perf_schema_kind *kind, const struct perf_doc *doc,
                     struct perf_error *err)
{
	size_t len, blen, start = 0, end;
	const char *text = perf_doc_text(doc, &len);
	const char *body = perf_doc_body(doc, &blen);

	if (kind->fenced) {
		if (perf_buf_add(out, text, len))
			return perf_error(err, PERF_ENOMEM, "out of memory");
		return 0;
	}
	if (blen && strspn(body, " \t\r\n") < blen)
		return perf_error(err, PERF_EINVALID, "%s has no body, but text follows its fields", kind->layout);
	if (len >= 3 && !memcmp(text, bom, 3)) {
		if (perf_buf_add(out, bom, 3))
			return perf_error(err, PERF_ENOMEM, "out of memory");
		start = 3;
	}
	/* Drop the opening fence line and the closing one, which ends just before the body. */
	start += strcspn(text + start, "\n") + 1;
	end = (size_t)(body - text);
	if (end > 0 && text[end - 1] == '\n')
		end--;
	if (end > 0 && text[end - 1] == '\r')
		end--;
	if (end >= 3 && !memcmp(text + end - 3, "---", 3))
		end -= 3;
	if (end < start)
		end = start;
	if (perf_buf_add(out, text + start, end - start))
		return perf_error(err, PERF_ENOMEM, "out of memory");
	return 0;
}

/* ---- agreement versions ---- */

static int cmp_key(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

static int put_len(struct perf_buf *b, char tag, const char *s, size_t n)
{
	return perf_buf_printf(b, "%c%zu:", tag, n) || perf_buf_add(b, s, n) || perf_buf_putc(b, '\n');
}

static int encode(struct perf_buf *b, const struct perf_node *n, const struct perf_schema_kind *skip, int depth);

/* A mapping: its keys in byte order, each followed by its value. */
static int encode_map(struct perf_buf *b, const struct perf_node *n, const struct perf_schema_kind *skip, int depth)
{
	const char **keys;
	size_t i, kept = 0;
	int rc = 0;

	keys = calloc(n->n ? n->n : 1, sizeof(*keys));
	if (!keys)
		return -1;
	for (i = 0; i < n->n; i++) {
		const struct perf_schema_field *f = skip ? perf_schema_field(skip, n->keys[i]) : NULL;
		if (!f || !(f->flags & PERF_FIELD_UNVERSIONED))
			keys[kept++] = n->keys[i];
	}
	qsort(keys, kept, sizeof(*keys), cmp_key);
	rc = perf_buf_printf(b, "M%zu\n", kept);
	for (i = 0; !rc && i < kept; i++)
		rc = put_len(b, 'K', keys[i], strlen(keys[i])) || encode(b, perf_node_get(n, keys[i]), NULL, depth + 1);
	free(keys);
	return rc;
}

static int encode(struct perf_buf *b, const struct perf_node *n, const struct perf_schema_kind *skip, int depth)
{
	size_t i;

	if (depth > PERF_DOC_MAX_DEPTH)
		return -1;
	switch (n->type) {
	case PERF_NODE_SCALAR:
		return put_len(b, 'S', n->text, n->len);
	case PERF_NODE_SEQ:
		if (perf_buf_printf(b, "L%zu\n", n->n))
			return -1;
		for (i = 0; i < n->n; i++)
			if (encode(b, n->values[i], NULL, depth + 1))
				return -1;
		return 0;
	case PERF_NODE_MAP:
		return encode_map(b, n, skip, depth);
	}
	return -1;
}

int perf_schema_version(char out[PERF_SCHEMA_VERSION_LEN + 1], const struct perf_schema_kind *kind,
                        const struct perf_doc *doc, struct perf_error *err)
{
	struct perf_buf b = PERF_BUF_INIT;
	struct perf_sha1 sha;
	const struct perf_node *root = perf_doc_root(doc);
	const char *body;
	size_t blen;
	unsigned char id[20];
	char head[32];
	int rc = 0, hn;

	out[0] = '\0';
	body = perf_doc_body(doc, &blen);
	if (!root || perf_buf_puts(&b, "perf-agreement 1\n") || encode(&b, root, kind, 0) ||
	    put_len(&b, 'B', body, blen)) {
		rc =
		    perf_error(err, PERF_ENOMEM, "cannot compute the version of %s: out of memory", perf_doc_name(doc));
		goto out;
	}
	/* The git blob id of the canonical form, as git hash-object gives it: "blob <len>\0" hashed first. */
	hn = snprintf(head, sizeof(head), "blob %zu", b.len);
	perf_sha1_init(&sha);
	perf_sha1_update(&sha, head, (size_t)hn + 1);
	perf_sha1_update(&sha, b.ptr, b.len);
	if (perf_sha1_final(&sha, id) < 0) {
		rc = perf_error(err, PERF_ENOMEM, "cannot compute the version of %s: SHA-1 failed", perf_doc_name(doc));
		goto out;
	}
	for (size_t i = 0; i < PERF_SCHEMA_VERSION_LEN; i++)
		out[i] = "0123456789abcdef"[(id[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[PERF_SCHEMA_VERSION_LEN] = '\0';
out:
	perf_buf_release(&b);
	return rc;
}
