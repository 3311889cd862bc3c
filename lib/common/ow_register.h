/*  ow_register — England's local authorities, from data/la_lookup.csv and
    data/predecessors.csv.

    Every fact ofwatch keeps is about one authority, named by its ONS code.
    Documents name authorities in many ways ("St. Helens", "Herefordshire
    Council", "BCP", a DfE code, an Ofsted URN); this is the one place that
    turns any of them into a register entry. Authorities that no longer
    exist (Northamptonshire, Cumbria, Poole, Bournemouth, Dorset county)
    are entries too, with their end date and successors, so history stays
    attached to the body it was about. Loaded once and read-only after.
*/
#ifndef OW_REGISTER_H
#define OW_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#define OW_REGISTER_MAX_NEIGHBOURS 10
#define OW_REGISTER_MAX_SUCCESSORS 4

typedef struct {
    const char *code;           // ONS code, e.g. E06000019 (for the three
                                // old rows without one: the predecessors
                                // file's code, e.g. E10000021)
    const char *la_code;        // DfE LA code, e.g. "884"
    const char *urn;            // Ofsted URN, e.g. "80474"; may be ""
    const char *name;           // e.g. "Herefordshire"
    const char *region_code;    // e.g. "E12000005"
    const char *region_name;    // e.g. "West Midlands"
    const char *neighbours [OW_REGISTER_MAX_NEIGHBOURS];   // ONS codes
    size_t n_neighbours;
    const char *ended;          // "" or YYYY-MM-DD when abolished
    const char *successors [OW_REGISTER_MAX_SUCCESSORS];   // ONS codes
    size_t n_successors;
    long population_0_25;
} ow_authority_t;

typedef struct _ow_register_t ow_register_t;

//  Loads the register from a directory holding la_lookup.csv and
//  predecessors.csv. Returns NULL and sets *error (caller frees) when a
//  file is missing or malformed.
ow_register_t *ow_register_load (const char *data_dir, char **error);
void ow_register_destroy (ow_register_t **self_p);

//  Finds an authority by ONS code, DfE LA code, Ofsted URN, name or alias,
//  ignoring case, punctuation, "Council", "County of", "Metropolitan
//  Borough", "City of" and similar. NULL when nothing matches.
const ow_authority_t *ow_register_find (const ow_register_t *self, const char *any);

//  Finds the first authority named in text [0, length): the name that
//  starts earliest, the longest at that place, matched at word boundaries
//  with the same normalisation as ow_register_find. Sets *start and *end
//  (when not NULL) to the byte span of the name in text. NULL when none.
//  Codes are not looked for: in running text they are usually something
//  else.
const ow_authority_t *ow_register_find_in_text (const ow_register_t *self,
        const char *text, size_t length, size_t *start, size_t *end);

//  Writes the normalised form of a name ("St. Helens Metropolitan Borough
//  Council" -> "st helens") into out (size bytes, always terminated).
void ow_register_normalise (const char *name, char *out, size_t size);

size_t ow_register_size (const ow_register_t *self);
const ow_authority_t *ow_register_at (const ow_register_t *self, size_t index);

#endif
