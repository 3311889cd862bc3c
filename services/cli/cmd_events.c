/*  ofwatch events — the event stream from notify: replayed from a seq,
    then live with --follow, switching over without gap or repeat (the
    same follower analytics and notify use on store's log).
*/

#include "cli.h"
#include "ow_follower.h"
#include "ow_vocab.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>

typedef struct {
    bool json;
    uint64_t printed;            // the last seq printed
} printer_t;

//  Appends to text [0, size), keeping what fits.
static void
say (char *text, size_t size, const char *format, ...)
{
    size_t used = strlen (text);
    if (used + 1 >= size)
        return;
    va_list args;
    va_start (args, format);
    vsnprintf (text + used, size - used, format, args);
    va_end (args);
}

static const char *
word (const char *vocabulary_word)
{
    return vocabulary_word ? vocabulary_word : "?";
}

static void
describe_inspection (const Ofwatch__V1__InspectionRecorded *i, char *text, size_t size)
{
    say (text, size, "%s", word (ow_kind_word (i->kind)));
    if (i->visit_number > 0)
        say (text, size, " %d", i->visit_number);
    if (*i->start_date || *i->end_date)
        say (text, size, ", fieldwork %s to %s", *i->start_date ? i->start_date : "?",
             *i->end_date ? i->end_date : "?");
    if (*i->published_on)
        say (text, size, ", published %s", i->published_on);
    if (*i->lead_inspector)
        say (text, size, ", led by %s", i->lead_inspector);
    if (i->outcome)
        say (text, size, ", outcome %s",
             word (ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, i->outcome)));
}

//  "workforce weaknesses, 7 findings in 3 inspections or visits: 2018-06-11
//  (2), 2022-07-18, date not known (4)".
static void
describe_recurring (const Ofwatch__V1__ThemeRecurring *r, char *text, size_t size)
{
    size_t inspections = 0;
    for (size_t i = 0; i < r->n_occurrences; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->occurrences [j]->inspection_id == r->occurrences [i]->inspection_id;
        inspections += !seen;
    }
    say (text, size, "%s weaknesses, %zu findings in %zu inspections or visits:",
         word (ow_theme_word (r->theme)), r->n_occurrences, inspections);
    //  Each date once, in the order first met, with how many found on it.
    for (size_t i = 0; i < r->n_occurrences; i++) {
        const char *date = r->occurrences [i]->date;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp (r->occurrences [j]->date, date) == 0;
        if (seen)
            continue;
        size_t same = 0;
        for (size_t j = i; j < r->n_occurrences; j++)
            same += strcmp (r->occurrences [j]->date, date) == 0;
        say (text, size, " %s", *date ? date : "date not known");
        if (same > 1)
            say (text, size, " (%zu)", same);
        say (text, size, ",");
    }
    size_t used = strlen (text);
    if (used && text [used - 1] == ',')
        text [used - 1] = 0;
}

//  What happened, in a line: the event's own facts, never just its type.
static void
describe (const Ofwatch__V1__Event *event, char *text, size_t size)
{
    const Ofwatch__V1__Payload *p = event->payload;
    text [0] = 0;
    if (!p)
        return;
    switch (p->body_case) {
        case OFWATCH__V1__PAYLOAD__BODY_DOCUMENT_RECEIVED: {
            const Ofwatch__V1__DocumentReceived *d = p->document_received;
            say (text, size, "stored %s %s", word (ow_doc_kind_word (d->doc_kind)), d->file);
            if (*d->source_url)
                say (text, size, " from %s", d->source_url);
            if (*d->submitter)
                say (text, size, " (key %s)", d->submitter);
            break;
        }
        case OFWATCH__V1__PAYLOAD__BODY_INSPECTION_RECORDED:
            describe_inspection (p->inspection_recorded, text, size);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_RECORDED:
            say (text, size, "%s judged %s (%s)", p->judgement_recorded->area,
                 word (ow_grade_word (p->judgement_recorded->grade)),
                 word (ow_kind_word (p->judgement_recorded->kind)));
            break;
        case OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_CHANGED:
            say (text, size, "%s %s: %s -> %s", p->judgement_changed->area,
                 p->judgement_changed->direction, word (ow_grade_word (p->judgement_changed->from)),
                 word (ow_grade_word (p->judgement_changed->to)));
            break;
        case OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED:
            say (text, size, "%s %s", p->status_changed->direction,
                 strcmp (p->status_changed->status, "not_inadequate") == 0
                 ? "a grade better than inadequate" : p->status_changed->status);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_FINDING_RECORDED: {
            const Ofwatch__V1__Finding *f = p->finding_recorded->finding;
            if (f)
                say (text, size, "%s (%s): %.100s", word (ow_polarity_word (f->polarity)),
                     word (ow_theme_word (f->theme)), f->text);
            break;
        }
        case OFWATCH__V1__PAYLOAD__BODY_THEME_RECURRING:
            describe_recurring (p->theme_recurring, text, size);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_DEADLINE:
            if (p->deadline->deadline)
                say (text, size, "%s due %s (%s)", p->deadline->deadline->kind,
                     p->deadline->deadline->due, p->deadline->deadline->basis);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_VISIT_OVERDUE: {
            const Ofwatch__V1__VisitOverdue *v = p->visit_overdue;
            say (text, size, "no monitoring visit for %u days (expected within %u)",
                 v->days_since, v->expected_within_days);
            if (*v->last_visit)
                say (text, size, "; the last was %s", v->last_visit);
            break;
        }
        case OFWATCH__V1__PAYLOAD__BODY_CONFLICT_DETECTED:
            say (text, size, "%s: stored %s, a document says %s", p->conflict_detected->fact,
                 p->conflict_detected->existing, p->conflict_detected->incoming);
            break;
        default:
            break;
    }
}

static void
print_event (void *context, const Ofwatch__V1__Event *event)
{
    printer_t *printer = context;
    if (event->seq <= printer->printed)
        return;
    printer->printed = event->seq;
    if (printer->json)
        cli_print_json (&event->base);
    else {
        char summary [512];
        describe (event, summary, sizeof summary);
        const char *type = ow_event_type_word (event->type);
        printf ("%6lu  %-10s  %-20s  %-9s  %s\n", (unsigned long) event->seq,
                *event->occurred_on ? event->occurred_on : "-", type ? type : "?",
                *event->authority ? event->authority : "-", summary);
    }
    fflush (stdout);
}

//  The log's last seq, from an empty page beyond its end.
static bool
log_end (ow_client_t *replay, uint64_t *last)
{
    Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
    query.after_seq = INT64_MAX;
    query.limit = 1;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &query;
    Ofwatch__V1__Reply *reply = cli_call (replay, &request, 5000, OFWATCH__V1__REPLY__BODY_EVENTS,
                                          "events");
    if (!reply)
        return false;
    *last = reply->events->last_seq;
    ow_pb_free (&reply);
    return true;
}

bool
cli_filter_add (cli_t *cli, Ofwatch__V1__EventFilter *filter, const char *what, const char *value)
{
    if (streq (what, "type")) {
        int type = ow_vocab_value (&ofwatch__v1__event_type__descriptor, value);
        if (!type) {
            cli_fail ("\"%s\" is not an event type (e.g. judgement.changed)", value);
            return false;
        }
        filter->types = realloc (filter->types, (filter->n_types + 1) * sizeof (int));
        filter->types [filter->n_types++] = type;
        return true;
    }
    if (streq (what, "theme")) {
        int theme = ow_vocab_value (&ofwatch__v1__theme__descriptor, value);
        if (!theme) {
            cli_fail ("\"%s\" is not a theme (e.g. workforce)", value);
            return false;
        }
        filter->themes = realloc (filter->themes, (filter->n_themes + 1) * sizeof (int));
        filter->themes [filter->n_themes++] = theme;
        return true;
    }
    const ow_register_t *reg = cli_register (cli);
    const ow_authority_t *authority = reg ? ow_register_find (reg, value) : NULL;
    if (!authority) {
        if (reg)
            cli_fail ("no authority is known as \"%s\"", value);
        return false;
    }
    ow_pb_append_string (&filter->authorities, &filter->n_authorities, authority->code);
    return true;
}

int
cli_events (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "from", required_argument, NULL, 'f' },
        { "type", required_argument, NULL, 't' },
        { "authority", required_argument, NULL, 'a' },
        { "theme", required_argument, NULL, 'h' },
        { "follow", no_argument, NULL, 'F' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 }
    };
    Ofwatch__V1__EventFilter *filter = OW_PB_NEW (Ofwatch__V1__EventFilter,
                                                  ofwatch__v1__event_filter__init);
    printer_t printer = { 0 };
    bool follow = false, from_given = false, ok = true;
    uint64_t from = 1;
    int option;
    while (ok && (option = getopt_long (argc, argv, "f:t:a:h:Fj", options, NULL)) != -1) {
        if (option == 'f') {
            char *end = NULL;
            from = strtoull (optarg, &end, 10);
            ok = end && *end == 0 && from > 0;
            if (!ok)
                cli_fail ("--from needs a seq, a whole number from 1");
            from_given = true;
        }
        else if (option == 't' || option == 'a' || option == 'h')
            ok = cli_filter_add (cli, filter, option == 't' ? "type"
                                            : option == 'h' ? "theme" : "authority", optarg);
        else if (option == 'F')
            follow = true;
        else if (option == 'j')
            printer.json = true;
        else
            ok = false;
    }
    bool filtered = filter->n_types || filter->n_authorities || filter->n_themes;
    ow_client_t *replay = ok ? cli_client (cli->config.notify_replay, "notify") : NULL;
    int rc = ok ? 0 : 2;
    //  Following without --from starts at the end of the log.
    uint64_t cursor = from - 1;
    if (ok && follow && !from_given && !log_end (replay, &cursor))
        rc = 1;
    if (rc == 0) {
        char *subscribe = ow_config_connectable (cli->config.notify_pub);
        ow_follower_t *follower = ow_follower_new (replay, subscribe, cursor,
                                                   filtered ? filter : NULL,
                                                   print_event, NULL, &printer);
        free (subscribe);
        if (!ow_follower_catch_up (follower)) {
            cli_fail ("notify did not answer at %s", cli->config.notify_replay);
            rc = 1;
        }
        else if (follow) {
            zloop_t *loop = zloop_new ();
            ow_follower_attach (follower, loop);
            zloop_start (loop);         // until Ctrl-C
            zloop_destroy (&loop);
        }
        ow_follower_destroy (&follower);
    }
    ow_client_destroy (&replay);
    ow_pb_free (&filter);
    return rc;
}
