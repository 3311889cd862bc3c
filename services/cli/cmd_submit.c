/*  ofwatch submit — documents to ingest; returns once each is committed.

    Directories are walked (sorted, so runs are repeatable). Several
    submissions are in flight at once over one socket, matched to their
    answers by request_id, so ingest decodes on every core; each file is
    still reported on its own line, in the order given. A submission that
    gets no answer is sent again with the same bytes, which store
    recognises, so retrying can never store a document twice.
*/

#include "cli.h"
#include "extract.h"
#include "ow_json.h"

#include <dirent.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

//  PDF decoding of a large report takes seconds; a restart of ingest or
//  store takes a few more.
#define SUBMIT_TIMEOUT_MS  60000
#define SUBMIT_ATTEMPTS    5
//  Submissions in flight at once: two per ingest worker (ingest starts
//  one per core; this host's cores stand in for the server's), so each
//  worker has the next document waiting and decoding never pauses for a
//  round trip, while ingest holds few documents in memory; and at most
//  this many bytes of documents held here (one document always goes).
#define SUBMIT_WINDOW_MIN   4
#define SUBMIT_WINDOW_MAX   16
#define SUBMIT_WINDOW_BYTES (128u * 1024 * 1024)

typedef struct {
    const char *authority;
    const char *published;
    bool json;
    bool progress;
    char **files;
    size_t n_files;
} submit_options_t;

static int
by_name (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
collect (submit_options_t *options, const char *path)
{
    struct stat info;
    if (stat (path, &info) != 0 || !S_ISDIR (info.st_mode)) {
        ow_pb_append_string (&options->files, &options->n_files, path);
        return;
    }
    DIR *dir = opendir (path);
    if (!dir) {
        ow_pb_append_string (&options->files, &options->n_files, path);
        return;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir (dir)) != NULL)
        if (entry->d_name [0] != '.')
            ow_pb_append_string (&names, &count, entry->d_name);
    closedir (dir);
    qsort (names, count, sizeof (char *), by_name);
    size_t length = strlen (path);
    while (length > 1 && path [length - 1] == '/')
        length--;
    for (size_t i = 0; i < count; i++) {
        char *child = ow_printf ("%.*s/%s", (int) length, path, names [i]);
        collect (options, child);
        free (child);
        free (names [i]);
    }
    free (names);
}

static void
show_progress (const submit_options_t *options, size_t done, const char *file)
{
    if (!options->progress)
        return;
    const int width = 30;
    int filled = options->n_files ? (int) (done * width / options->n_files) : width;
    const char *base = strrchr (file, '/');
    fprintf (stderr, "\r[%.*s%*s] %zu/%zu %-40.40s", filled,
             "##############################", width - filled, "", done, options->n_files,
             base ? base + 1 : file);
    if (done == options->n_files)
        fputs ("\r\033[K", stderr);
    fflush (stderr);
}

static void
report (const submit_options_t *options, const char *file, const Ofwatch__V1__SubmitReply *ok,
        const char *problem)
{
    if (options->json) {
        json_t *line = json_object ();
        ow_json_set_string (line, "file", file);
        json_object_set_new (line, "ok", json_boolean (ok != NULL));
        if (ok) {
            ow_json_set_string (line, "sha256", ok->sha256);
            json_object_set_new (line, "duplicate", json_boolean (ok->duplicate));
            json_object_set_new (line, "document_id", json_integer (ok->document_id));
            json_object_set_new (line, "events", json_integer ((json_int_t) ok->n_event_seqs));
        }
        else
            ow_json_set_string (line, "error", problem);
        char *text = ow_json_dump (line);
        puts (text);
        free (text);
        json_decref (line);
        return;
    }
    if (!ok) {
        if (options->progress)
            fputs ("\r\033[K", stderr);
        cli_fail ("%s", problem);
        return;
    }
    const Ofwatch__V1__Authority *a = ok->extraction ? ok->extraction->authority : NULL;
    if (options->progress)
        fputs ("\r\033[K", stderr);
    if (ok->duplicate)
        printf ("%s: already stored (document %ld), nothing new\n", file, (long) ok->document_id);
    else
        printf ("%s: stored as document %ld, %s (%s), %zu inspection(s), %zu event(s)\n", file,
                (long) ok->document_id, a ? a->name : "?", a ? a->code : "?",
                ok->n_inspection_ids, ok->n_event_seqs);
}

//  One file on its way: read, sent (perhaps again), answered.
typedef struct {
    const char *file;                   // borrowed from the options
    uint8_t *bytes;                     // while open
    size_t size;
    Ofwatch__V1__SubmitRequest submit;
    Ofwatch__V1__Request request;       // its request_id names the last send
    int attempts;
    bool in_flight;
    bool done;
    Ofwatch__V1__Reply *reply;          // when done and committed
    char *problem;                      // when done and not: the sentence
} submission_t;

//  The files in order, the first `opened` of them read and sent, the
//  first `reported` of them reported. Replies come in any order; reports
//  go out in file order, so output is the same whatever the timing.
typedef struct {
    const submit_options_t *options;
    ow_client_t *ingest;
    submission_t *submissions;
    size_t opened;
    size_t reported;
    size_t open;                        // opened and not done
    size_t open_bytes;
    size_t rejected;
    size_t window;                      // submissions in flight at most
} window_t;

static void
finish (window_t *w, submission_t *s, Ofwatch__V1__Reply *reply, const char *error)
{
    const char *problem = reply ? cli_reply_problem (reply, OFWATCH__V1__REPLY__BODY_SUBMIT)
                                : error ? error : "no answer";
    if (problem) {
        s->problem = strstr (problem, s->file) ? ow_strdup (problem)
                                               : ow_printf ("%s: %s", s->file, problem);
        ow_pb_free (&reply);
    }
    s->reply = reply;
    s->done = true;
    s->in_flight = false;
    w->open--;
    w->open_bytes -= s->size;
    free (s->bytes);
    s->bytes = NULL;
}

static void send_submission (window_t *w, submission_t *s);

//  After a failed attempt (`reply` an UNAVAILABLE answer, or NULL with
//  `error`): sent again, or after SUBMIT_ATTEMPTS done with that failure.
static void
again_or_fail (window_t *w, submission_t *s, Ofwatch__V1__Reply *reply, const char *error)
{
    s->in_flight = false;
    if (s->attempts >= SUBMIT_ATTEMPTS || zsys_interrupted)
        finish (w, s, reply, error);
    else {
        ow_pb_free (&reply);
        send_submission (w, s);
    }
}

static void
send_submission (window_t *w, submission_t *s)
{
    s->attempts++;
    char *error = NULL;
    if (ow_client_send (w->ingest, &s->request, &error))
        s->in_flight = true;
    else {
        zclock_sleep (500 * s->attempts);
        again_or_fail (w, s, NULL, error);
    }
    free (error);
}

//  Reads the next file and sends it.
static void
open_next (window_t *w)
{
    submission_t *s = &w->submissions [w->opened++];
    char *error = NULL;
    s->bytes = cli_read_file (s->file, EXTRACT_MAX_DOCUMENT, &s->size, &error);
    w->open++;
    if (!s->bytes) {
        s->size = 0;
        finish (w, s, NULL, error);
        free (error);
        return;
    }
    w->open_bytes += s->size;
    const submit_options_t *options = w->options;
    ofwatch__v1__submit_request__init (&s->submit);
    s->submit.content.data = s->bytes;
    s->submit.content.len = s->size;
    s->submit.file_name = (char *) s->file;
    s->submit.declared_authority = (char *) (options->authority ? options->authority : "");
    s->submit.declared_published = (char *) (options->published ? options->published : "");
    ofwatch__v1__request__init (&s->request);
    s->request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    s->request.submit = &s->submit;
    send_submission (w, s);
}

//  An answer: to the submission whose last send it names, else to a send
//  given up on (dropped). "Unavailable" (ingest busy, store down) is
//  worth another attempt; any other answer is final.
static void
on_reply (window_t *w, Ofwatch__V1__Reply *reply)
{
    submission_t *s = NULL;
    for (size_t i = w->reported; i < w->opened && !s; i++)
        if (w->submissions [i].in_flight
        &&  w->submissions [i].request.request_id == reply->request_id)
            s = &w->submissions [i];
    if (!s) {
        ow_pb_free (&reply);
        return;
    }
    if (reply->body_case != OFWATCH__V1__REPLY__BODY_ERROR
    ||  reply->error->code != OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE) {
        finish (w, s, reply, NULL);
        return;
    }
    zclock_sleep (500 * s->attempts);
    again_or_fail (w, s, reply, NULL);
}

//  No answer in time: the client has reopened its socket, so whatever was
//  in flight is lost and is sent again (the same bytes are the same
//  document, so nothing is stored twice).
static void
on_lost (window_t *w, const char *error)
{
    zclock_sleep (500);
    for (size_t i = w->reported; i < w->opened; i++)
        if (w->submissions [i].in_flight)
            again_or_fail (w, &w->submissions [i], NULL, error);
}

//  Reports, in file order, every submission done since the last report.
static void
report_ready (window_t *w)
{
    while (w->reported < w->opened && w->submissions [w->reported].done) {
        submission_t *s = &w->submissions [w->reported++];
        report (w->options, s->file, s->reply ? s->reply->submit : NULL, s->problem);
        //  Each line out as soon as it is known: a script reading it sees
        //  progress, and an interrupt loses nothing already reported.
        fflush (stdout);
        if (s->problem)
            w->rejected++;
        ow_pb_free (&s->reply);
        free (s->problem);
        s->problem = NULL;
        show_progress (w->options, w->reported, s->file);
    }
}

//  Keeps up to w->window submissions in flight until every file is
//  answered, so ingest always has the next document waiting for each of
//  its workers.
static void
submit_all (window_t *w)
{
    size_t total = w->options->n_files;
    while (w->reported < total && !zsys_interrupted) {
        while (w->opened < total && w->open < w->window
               && (w->open == 0 || w->open_bytes < SUBMIT_WINDOW_BYTES))
            open_next (w);
        report_ready (w);
        if (w->open == 0)
            continue;
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_receive (w->ingest, SUBMIT_TIMEOUT_MS, &error);
        if (reply)
            on_reply (w, reply);
        else
        if (!zsys_interrupted)
            on_lost (w, error);
        free (error);
    }
}
int
cli_submit (cli_t *cli, int argc, char **argv)
{
    static const struct option long_options [] = {
        { "authority", required_argument, NULL, 'a' },
        { "published", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 }
    };
    submit_options_t options = { 0 };
    int option;
    while ((option = getopt_long (argc, argv, "a:p:j", long_options, NULL)) != -1) {
        if (option == 'a')
            options.authority = optarg;
        else if (option == 'p')
            options.published = optarg;
        else if (option == 'j')
            options.json = true;
        else
            return 2;
    }
    if (optind >= argc) {
        cli_fail ("submit needs at least one FILE or DIR");
        return 2;
    }
    for (int i = optind; i < argc; i++)
        collect (&options, argv [i]);
    options.progress = !options.json && isatty (STDERR_FILENO) && options.n_files > 1;

    ow_client_t *ingest = cli_client (cli->config.ingest, "ingest");
    long cores = sysconf (_SC_NPROCESSORS_ONLN);
    window_t w = { .options = &options, .ingest = ingest,
                   .window = cores * 2 < SUBMIT_WINDOW_MIN ? SUBMIT_WINDOW_MIN
                           : cores * 2 > SUBMIT_WINDOW_MAX ? SUBMIT_WINDOW_MAX
                           : (size_t) cores * 2 };
    w.submissions = ow_calloc (options.n_files + 1, sizeof (submission_t));
    for (size_t i = 0; i < options.n_files; i++)
        w.submissions [i].file = options.files [i];
    if (options.n_files)
        show_progress (&options, 0, options.files [0]);
    submit_all (&w);
    show_progress (&options, options.n_files, "");
    //  What an interrupt left open or unreported.
    for (size_t i = w.reported; i < w.opened; i++) {
        free (w.submissions [i].bytes);
        ow_pb_free (&w.submissions [i].reply);
        free (w.submissions [i].problem);
    }
    free (w.submissions);
    ow_client_destroy (&ingest);
    size_t rejected = w.rejected;
    for (size_t i = 0; i < options.n_files; i++)
        free (options.files [i]);
    free (options.files);
    if (rejected && !options.json)
        cli_fail ("%zu of %zu file(s) rejected", rejected, options.n_files);
    return rejected || zsys_interrupted ? 1 : 0;
}
