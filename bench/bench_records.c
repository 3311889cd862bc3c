/*  bench_records — a structured feed for the records benchmark.

    usage: bench_records DIR RECORDS [PER_FILE]

    Writes RECORDS findings and judgements about every current authority
    of the register, in two forms holding the same rows:

    - DIR/feed/part-NN.json: the feed in the shape of CONTRACTS.md
      section 4 (what `ofwatch submit` takes), in files of about PER_FILE
      records (10,000 unless given) as a national feed arrives in
      batches: each file holds, for every authority, its next inspections
      in date order, each an ILACS inspection with four graded areas and
      four findings;
    - DIR/rows.csv: one line per record (authority, inspection start,
      kind, area or theme, grade or polarity, text), for `psql \copy`
      into a plain table: the bare copy ofwatch is compared with.

    Grades move from inspection to inspection, so analytics has changes
    to derive. Prints "FILES RECORDS".
*/

#include <czmq.h>
#include "ow_config.h"
#include "ow_date.h"
#include "ow_pb.h"
#include "ow_register.h"
#include "ow_service.h"

#include <stdio.h>

#define PER_EVENT 8             // 4 judgements + 4 findings

static const char *s_areas [] = {
    "leaders", "help_and_protection", "in_care_and_care_leavers", "overall"
};
static const char *s_grades [] = { "outstanding", "good", "requires_improvement", "inadequate" };
static const char *s_themes [] = {
    "front_door", "workforce", "management_oversight", "care_leavers", "partnership"
};
static const char *s_polarities [] = { "strength", "weakness" };

typedef struct {
    FILE *json;
    FILE *rows;
    size_t records;
} feed_t;

static void
write_event (feed_t *feed, const char *code, size_t number, bool first, int start)
{
    char start_date [11], end_date [11];
    ow_date_to_iso (start, start_date);
    ow_date_to_iso (start + 11, end_date);
    fprintf (feed->json, "%s\n{\"kind\":\"ilacs_standard\",\"start_date\":\"%s\",\"end_date\":\"%s\","
             "\"lead_inspector\":\"Inspector %zu\",\"judgements\":{",
             first ? "" : ",", start_date, end_date, number % 40);
    for (size_t a = 0; a < 4; a++) {
        const char *grade = s_grades [(number + a) % 4];
        fprintf (feed->json, "%s\"%s\":\"%s\"", a ? "," : "", s_areas [a], grade);
        fprintf (feed->rows, "%s,%s,ilacs_standard,%s,%s,\n", code, start_date, s_areas [a], grade);
    }
    fprintf (feed->json, "},\"findings\":[");
    for (size_t f = 0; f < 4; f++) {
        const char *theme = s_themes [(number + f) % 5];
        const char *polarity = s_polarities [(number + f) % 2];
        char text [160];
        snprintf (text, sizeof text, "Finding %zu of inspection %zu: %s practice about %s "
                  "that the inspectors saw in the cases they sampled.", f + 1, number,
                  polarity, theme);
        fprintf (feed->json, "%s{\"polarity\":\"%s\",\"theme\":\"%s\",\"text\":\"%s\","
                 "\"start\":%zu,\"end\":%zu}", f ? "," : "", polarity, theme, text,
                 f * 200, f * 200 + strlen (text));
        fprintf (feed->rows, "%s,%s,ilacs_standard,%s,%s,\"%s\"\n", code, start_date, theme,
                 polarity, text);
    }
    fprintf (feed->json, "]}");
    feed->records += PER_EVENT;
}

int
main (int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf (stderr, "usage: bench_records DIR RECORDS [PER_FILE]\n");
        return 2;
    }
    ow_config_t config;
    ow_config_load (&config);
    ow_register_t *reg = ow_service_register (&config);
    if (!reg)
        return 1;
    const ow_authority_t *authorities [512];
    size_t count = 0;
    for (size_t i = 0; i < ow_register_size (reg) && count < 512; i++) {
        const ow_authority_t *a = ow_register_at (reg, i);
        if (!*a->ended && *a->code == 'E')
            authorities [count++] = a;
    }
    size_t wanted = (size_t) atol (argv [2]);
    size_t per_file = argc == 4 ? (size_t) atol (argv [3]) : 10000;
    size_t events = (wanted + PER_EVENT - 1) / PER_EVENT;
    size_t files = per_file ? (wanted + per_file - 1) / per_file : 1;
    if (files == 0)
        files = 1;
    char *feed_dir = ow_printf ("%s/feed", argv [1]);
    zsys_dir_create ("%s", feed_dir);
    char *rows_path = ow_printf ("%s/rows.csv", argv [1]);
    feed_t feed = { .rows = fopen (rows_path, "w") };
    int first_start = ow_date_from_iso ("2000-01-03");
    size_t written = 0;
    for (size_t part = 0; part < files && feed.rows; part++) {
        char *path = ow_printf ("%s/part-%02zu.json", feed_dir, part + 1);
        feed.json = fopen (path, "w");
        free (path);
        if (!feed.json)
            break;
        fprintf (feed.json, "[");
        bool first_record = true;
        for (size_t a = 0; a < count; a++) {
            //  This authority's share of the events, spread evenly, and
            //  this file's share of those.
            size_t mine = events / count + (a < events % count ? 1 : 0);
            size_t from = mine * part / files, to = mine * (part + 1) / files;
            if (from == to)
                continue;
            fprintf (feed.json, "%s{\"authority\":{\"code\":\"%s\",\"name\":\"%s\"},"
                     "\"doc_kind\":\"records\",\"published_on\":\"2024-06-28\",\"events\":[",
                     first_record ? "" : ",\n", authorities [a]->code, authorities [a]->name);
            first_record = false;
            for (size_t e = from; e < to; e++)
                write_event (&feed, authorities [a]->code, e, e == from,
                             first_start + (int) e * 28);
            fprintf (feed.json, "]}");
        }
        fprintf (feed.json, "]\n");
        fclose (feed.json);
        written++;
    }
    bool ok = feed.rows && written == files;
    if (feed.rows)
        fclose (feed.rows);
    if (!ok)
        fprintf (stderr, "bench_records: cannot write under %s\n", argv [1]);
    else
        printf ("%zu %zu\n", written, feed.records);
    free (feed_dir);
    free (rows_path);
    ow_register_destroy (&reg);
    return ok ? 0 : 1;
}
