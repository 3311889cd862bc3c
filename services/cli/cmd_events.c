/*  ofwatch events — the event stream from notify: replayed from a seq,
    then live with --follow, switching over without gap or repeat (the
    same follower analytics and notify use on store's log).
*/

#include "cli.h"
#include "ow_follower.h"
#include "ow_vocab.h"

#include <getopt.h>
#include <stdint.h>

typedef struct {
    bool json;
    uint64_t printed;            // the last seq printed
} printer_t;

static void
describe (const Ofwatch__V1__Event *event, char *text, size_t size)
{
    const Ofwatch__V1__Payload *p = event->payload;
    text [0] = 0;
    if (!p)
        return;
    switch (p->body_case) {
        case OFWATCH__V1__PAYLOAD__BODY_DOCUMENT_RECEIVED:
            snprintf (text, size, "%s", p->document_received->file);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_INSPECTION_RECORDED: {
            const char *kind = ow_kind_word (p->inspection_recorded->kind);
            snprintf (text, size, "%s %s to %s", kind ? kind : "?",
                      p->inspection_recorded->start_date, p->inspection_recorded->end_date);
            break;
        }
        case OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_RECORDED: {
            const char *grade = ow_grade_word (p->judgement_recorded->grade);
            snprintf (text, size, "%s %s", p->judgement_recorded->area, grade ? grade : "?");
            break;
        }
        case OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_CHANGED: {
            const char *from = ow_grade_word (p->judgement_changed->from);
            const char *to = ow_grade_word (p->judgement_changed->to);
            snprintf (text, size, "%s %s: %s -> %s", p->judgement_changed->area,
                      p->judgement_changed->direction, from ? from : "?", to ? to : "?");
            break;
        }
        case OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED:
            snprintf (text, size, "%s %s", p->status_changed->direction, p->status_changed->status);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_FINDING_RECORDED:
            snprintf (text, size, "%.80s", p->finding_recorded->finding
                                           ? p->finding_recorded->finding->text : "");
            break;
        case OFWATCH__V1__PAYLOAD__BODY_DEADLINE:
            if (p->deadline->deadline)
                snprintf (text, size, "%s due %s", p->deadline->deadline->kind,
                          p->deadline->deadline->due);
            break;
        case OFWATCH__V1__PAYLOAD__BODY_CONFLICT_DETECTED:
            snprintf (text, size, "%s: %s vs %s", p->conflict_detected->fact,
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
        char summary [256];
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
