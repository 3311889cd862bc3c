/*  ow_vocab — the words of CONTRACTS.md section 5 and the protobuf enums.

    The proto enums (proto/ofwatch/v1/vocab.proto) are the only definition
    of the vocabulary; this maps them to and from the words users see, by
    rule (strip the enum's prefix, lower case; EventType's first underscore
    is a dot), so a value added to the proto needs no code here. Judgement
    areas are plain words and are checked against the lists below.
*/
#ifndef OW_VOCAB_H
#define OW_VOCAB_H

#include <stdbool.h>
#include "ow_pb.h"

//  Word for an enum value, e.g. "requires_improvement"; NULL for the zero
//  ("not known") value or a value the enum does not have. Returns static
//  storage, valid for the life of the process.
const char *ow_vocab_word (const ProtobufCEnumDescriptor *descriptor, int value);

//  Value for a word (exact match, lower case); 0 when unknown.
int ow_vocab_value (const ProtobufCEnumDescriptor *descriptor, const char *word);

//  Shorthands.
#define ow_grade_word(v)       ow_vocab_word (&ofwatch__v1__grade__descriptor, (v))
#define ow_kind_word(v)        ow_vocab_word (&ofwatch__v1__inspection_kind__descriptor, (v))
#define ow_doc_kind_word(v)    ow_vocab_word (&ofwatch__v1__doc_kind__descriptor, (v))
#define ow_polarity_word(v)    ow_vocab_word (&ofwatch__v1__polarity__descriptor, (v))
#define ow_theme_word(v)       ow_vocab_word (&ofwatch__v1__theme__descriptor, (v))
#define ow_event_type_word(v)  ow_vocab_word (&ofwatch__v1__event_type__descriptor, (v))

//  True when `area` is a judgement area of section 5.
bool ow_vocab_is_area (const char *area);

//  Ordering of grades for "improved"/"declined": outstanding 4, good 3,
//  requires_improvement and adequate 2, inadequate 1, otherwise 0.
int ow_grade_rank (Ofwatch__V1__Grade grade);

//  True for the kinds that are full inspections with graded judgements
//  (ILACS, SIF, SIF re-inspection, SLAC).
bool ow_kind_is_full_inspection (Ofwatch__V1__InspectionKind kind);

#endif
