/*  ow_publisher — a service's PUB socket, whose subscribers' keys stay
    valid while they are connected.

    ZAP checks a key when it connects, and a SUB connection then stays
    open for as long as its peer keeps it: revoking the key would not stop
    what is already flowing to it. So before each event it publishes, the
    publisher looks whether the keys directory has changed (inotify; one
    read that finds nothing, nearly always), and if it has, whether any key
    let in on its socket since the socket was made is now revoked, gone or
    no longer allowed there. If one is, the socket is made anew on the same
    endpoint before the event goes out: every subscriber reconnects and is
    checked again, the revoked key is refused, and the others, having
    missed what was published meanwhile, fetch it by seq (ow_follower), as
    after any gap. Nothing published after a revocation reaches the key.

    The socket's ZAP domain is "<service>.pub", so its peers are told
    apart from those of the service's ROUTER.
*/
#ifndef OW_PUBLISHER_H
#define OW_PUBLISHER_H

#include <czmq.h>
#include "ow_pb.h"

typedef struct _ow_publisher_t ow_publisher_t;

//  Binds a PUB for `service` ("store", "notify") at endpoint; NULL, after
//  logging why, when it cannot be secured or bound.
ow_publisher_t *ow_publisher_new (const char *endpoint, const char *service);
void ow_publisher_destroy (ow_publisher_t **self_p);

//  Publishes [topic][event] (ow_wire_publish) after the check above.
//  Returns 0 or -1.
int ow_publisher_send (ow_publisher_t *self, const Ofwatch__V1__Event *event);

//  How many times the socket has been made anew.
size_t ow_publisher_rebinds (ow_publisher_t *self);

#endif
