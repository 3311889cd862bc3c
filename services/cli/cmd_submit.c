/*  ofwatch submit — documents to ingest; returns once each is committed.

    Directories are walked (sorted, so runs are repeatable). A submission
    that gets no answer is sent again with the same bytes, which store
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
        ow_json_t *json = ow_json_new ();
        ow_json_object_begin (json);
        ow_json_key_string (json, "file", file);
        ow_json_key (json, "ok");
        ow_json_bool (json, ok != NULL);
        if (ok) {
            ow_json_key_string (json, "sha256", ok->sha256);
            ow_json_key (json, "duplicate");
            ow_json_bool (json, ok->duplicate);
            ow_json_key (json, "document_id");
            ow_json_int (json, ok->document_id);
            ow_json_key (json, "events");
            ow_json_uint (json, ok->n_event_seqs);
        }
        else
            ow_json_key_string (json, "error", problem);
        ow_json_object_end (json);
        puts (ow_json_text (json));
        ow_json_destroy (&json);
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

//  Submits one file; true when it was committed.
static bool
submit_one (ow_client_t *ingest, const submit_options_t *options, const char *file)
{
    size_t size = 0;
    char *error = NULL;
    uint8_t *bytes = cli_read_file (file, EXTRACT_MAX_DOCUMENT, &size, &error);
    if (!bytes) {
        report (options, file, NULL, error);
        free (error);
        return false;
    }
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    submit.content.data = bytes;
    submit.content.len = size;
    submit.file_name = (char *) file;
    submit.declared_authority = (char *) (options->authority ? options->authority : "");
    submit.declared_published = (char *) (options->published ? options->published : "");
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submit;

    Ofwatch__V1__Reply *reply = NULL;
    for (int attempt = 1; attempt <= SUBMIT_ATTEMPTS && !zsys_interrupted; attempt++) {
        free (error);
        error = NULL;
        reply = ow_client_call (ingest, &request, SUBMIT_TIMEOUT_MS, &error);
        bool retry = !reply || (reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR
                                && reply->error->code == OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE);
        if (!retry)
            break;
        if (attempt < SUBMIT_ATTEMPTS) {
            ow_pb_free (&reply);
            zclock_sleep (500 * attempt);
        }
    }
    const char *problem = reply ? cli_reply_problem (reply, OFWATCH__V1__REPLY__BODY_SUBMIT)
                                : error;
    char *sentence = NULL;
    if (problem && !strstr (problem, file))
        problem = sentence = ow_printf ("%s: %s", file, problem);
    report (options, file, problem ? NULL : reply->submit, problem);
    bool ok = problem == NULL;
    free (sentence);
    free (error);
    ow_pb_free (&reply);
    free (bytes);
    return ok;
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
    size_t rejected = 0;
    for (size_t i = 0; i < options.n_files && !zsys_interrupted; i++) {
        show_progress (&options, i, options.files [i]);
        if (!submit_one (ingest, &options, options.files [i]))
            rejected++;
    }
    show_progress (&options, options.n_files, "");
    ow_client_destroy (&ingest);
    for (size_t i = 0; i < options.n_files; i++)
        free (options.files [i]);
    free (options.files);
    if (rejected && !options.json)
        cli_fail ("%zu of %zu file(s) rejected", rejected, options.n_files);
    return rejected || zsys_interrupted ? 1 : 0;
}
