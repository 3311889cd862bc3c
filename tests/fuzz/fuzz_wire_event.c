/*  fuzz_wire_event — an Event as subscribers and followers decode it,
    and the words its topic is made of. */
#include "fuzz_wire.h"
#include "ow_vocab.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    Ofwatch__V1__Event *event = (Ofwatch__V1__Event *)
        fuzz_decode (&ofwatch__v1__event__descriptor, data, size);
    if (event) {
        //  Checked enums always have their word.
        if (event->type && !ow_event_type_word (event->type))
            abort ();
        if (event->theme && !ow_theme_word (event->theme))
            abort ();
    }
    ow_pb_free (&event);
    return 0;
}
