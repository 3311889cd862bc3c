/*  bench_extraction — what extraction costs beside PDF decoding.

    usage: bench_extraction FILE...

    For every file: poppler's text decoding (extract_decode) and
    then extraction from that text (extract_text), the two halves of what
    a worker does with a document, timed apart in processor time of this
    one thread, so other load on the machine moves neither. Extraction is
    repeated and its fastest run kept, since one run is too short to time
    alone. Prints "FILES DECODE_S EXTRACT_S SLOWEST_FILE SLOWEST_S".
*/

#include <czmq.h>
#include "extract.h"
#include "ow_config.h"
#include "ow_register.h"
#include "ow_service.h"

#include <stdio.h>
#include <time.h>

#define EXTRACT_RUNS 5

static double
cpu_seconds (void)
{
    struct timespec t;
    clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

typedef struct {
    const ow_register_t *reg;
    size_t files;
    double decode, extract;
    double slowest;
    char *slowest_file;
} tally_t;

static void
measure (tally_t *tally, const char *path)
{
    zchunk_t *bytes = zchunk_slurp (path, 0);
    if (!bytes)
        return;
    extract_input_t input = {
        .bytes = zchunk_data (bytes), .size = zchunk_size (bytes), .file_name = path
    };
    const char *media_type = NULL;
    size_t length = 0;
    char *error = NULL;
    double started = cpu_seconds ();
    char *text = extract_decode (&input, &media_type, &length, &error);
    tally->decode += cpu_seconds () - started;
    double fastest = 0;
    for (int run = 0; text && run < EXTRACT_RUNS; run++) {
        started = cpu_seconds ();
        Ofwatch__V1__Extraction *facts = extract_text (tally->reg, &input, media_type, text,
                                                       length, &error);
        double took = cpu_seconds () - started;
        if (run == 0 || took < fastest)
            fastest = took;
        ow_pb_free (&facts);
        free (error);
        error = NULL;
    }
    tally->extract += fastest;
    if (fastest > tally->slowest) {
        tally->slowest = fastest;
        free (tally->slowest_file);
        tally->slowest_file = ow_strdup (path);
    }
    tally->files++;
    free (text);
    free (error);
    zchunk_destroy (&bytes);
}

int
main (int argc, char **argv)
{
    if (argc < 2) {
        fprintf (stderr, "usage: bench_extraction FILE...\n");
        return 2;
    }
    ow_config_t config;
    ow_config_load (&config);
    ow_register_t *reg = ow_service_register (&config);
    if (!reg)
        return 1;
    tally_t tally = { .reg = reg };
    for (int i = 1; i < argc; i++)
        measure (&tally, argv [i]);
    printf ("%zu %.3f %.4f %s %.4f\n", tally.files, tally.decode, tally.extract,
            tally.slowest_file ? tally.slowest_file : "-", tally.slowest);
    free (tally.slowest_file);
    ow_register_destroy (&reg);
    return tally.files ? 0 : 1;
}
