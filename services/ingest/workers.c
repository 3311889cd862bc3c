/*  workers — ingest's pool of worker processes and the jobs waiting for
    them.

    Each worker decodes one document at a time, so the pool's size is how
    many documents are decoded at once (one per core by default). A job
    goes to an idle worker as soon as there is one; the answer comes back
    whenever the worker is done, read without blocking, so ingest keeps
    serving meanwhile. A worker that dies, stops making sense or overruns
    its time is killed, its job failed with a sentence, and a new worker
    started in its place: a hostile document costs a worker, never ingest.
*/

#include "ingest.h"
#include "channel.h"
#include "ow_log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define WORKER_FD          3
//  A worker itself enforces the decoding time; this is for a worker that
//  stopped answering altogether.
#define WORKER_GRACE_MS    15000
#define TICK_MS            1000
#define STOP_WAIT_MS       5000

typedef struct {
    pid_t pid;                  // 0 when not running
    int fd;                     // our end of its socket pair; -1 when not running
    channel_reader_t *reader;
    void *job;                  // the job in hand, or NULL when idle
    int64_t deadline;           // monotonic ms by which it must answer
} worker_t;

typedef struct {
    uint8_t *bytes;
    size_t size;
    void *job;
} waiting_t;

struct _ingest_workers_t {
    worker_t *workers;
    int count;
    zlistx_t *waiting;          // waiting_t, oldest first
    size_t waiting_max;
    int timeout_ms;
    ingest_workers_done_fn *done;
    void *context;
    zloop_t *loop;
};

static int on_readable (zloop_t *loop, zmq_pollitem_t *item, void *argument);

static bool
spawn (ingest_workers_t *self, worker_t *worker)
{
    int pair [2];
    if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        ow_error ("cannot start a worker", "reason", strerror (errno));
        return false;
    }
    //  dup2 onto descriptor 3 clears close-on-exec, unless it is 3 already.
    if (pair [1] == WORKER_FD) {
        pair [1] = fcntl (WORKER_FD, F_DUPFD_CLOEXEC, WORKER_FD + 1);
        close (WORKER_FD);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init (&actions);
    posix_spawn_file_actions_adddup2 (&actions, pair [1], WORKER_FD);
    //  ingest's threads hold SIGINT and SIGTERM blocked (ow_service_init);
    //  a worker starts with none blocked, as any program.
    posix_spawnattr_t attributes;
    posix_spawnattr_init (&attributes);
    sigset_t none;
    sigemptyset (&none);
    posix_spawnattr_setsigmask (&attributes, &none);
    posix_spawnattr_setflags (&attributes, POSIX_SPAWN_SETSIGMASK);
    char *argv [] = { "ofwatch-ingest", "--worker", NULL };
    int rc = posix_spawn (&worker->pid, "/proc/self/exe", &actions, &attributes, argv, environ);
    posix_spawnattr_destroy (&attributes);
    posix_spawn_file_actions_destroy (&actions);
    close (pair [1]);
    if (rc != 0) {
        ow_error ("cannot start a worker", "reason", strerror (rc));
        close (pair [0]);
        worker->pid = 0;
        return false;
    }
    worker->fd = pair [0];
    worker->reader = channel_reader_new (INGEST_RESULT_MAX);
    if (self->loop) {
        zmq_pollitem_t item = { NULL, worker->fd, ZMQ_POLLIN, 0 };
        zloop_poller (self->loop, &item, on_readable, self);
    }
    return true;
}

//  Ends a worker for good: it is killed and reaped, its job failed.
static void
bury (ingest_workers_t *self, worker_t *worker, const char *why)
{
    if (worker->fd >= 0) {
        if (self->loop) {
            zmq_pollitem_t item = { NULL, worker->fd, ZMQ_POLLIN, 0 };
            zloop_poller_end (self->loop, &item);
        }
        close (worker->fd);
        worker->fd = -1;
    }
    if (worker->pid > 0) {
        kill (worker->pid, SIGKILL);
        while (waitpid (worker->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        worker->pid = 0;
    }
    channel_reader_destroy (&worker->reader);
    if (worker->job) {
        void *job = worker->job;
        worker->job = NULL;
        self->done (self->context, job, NULL, 0, why);
    }
}

static worker_t *
worker_of_fd (ingest_workers_t *self, int fd)
{
    for (int i = 0; i < self->count; i++)
        if (self->workers [i].fd == fd)
            return &self->workers [i];
    return NULL;
}

//  Gives waiting jobs to idle workers.
static void
dispatch (ingest_workers_t *self)
{
    for (int i = 0; i < self->count && zlistx_size (self->waiting); i++) {
        worker_t *worker = &self->workers [i];
        if (worker->fd < 0 || worker->job)
            continue;
        waiting_t *next = zlistx_first (self->waiting);
        zlistx_detach_cur (self->waiting);
        worker->job = next->job;
        worker->deadline = zclock_mono () + self->timeout_ms;
        bool sent = channel_send_bytes (worker->fd, next->bytes, next->size);
        free (next->bytes);
        free (next);
        if (!sent) {
            ow_warn ("a worker stopped taking jobs; starting another");
            bury (self, worker, "the extraction worker stopped before taking the document; "
                                "try again");
            spawn (self, worker);
        }
    }
}

static int
on_readable (zloop_t *loop, zmq_pollitem_t *item, void *argument)
{
    ingest_workers_t *self = argument;
    worker_t *worker = worker_of_fd (self, item->fd);
    if (!worker)
        return 0;
    int rc = channel_reader_fill (worker->reader, worker->fd);
    if (rc == 1 && worker->job) {
        size_t size = 0;
        uint8_t *answer = channel_reader_take (worker->reader, &size);
        void *job = worker->job;
        worker->job = NULL;
        //  The worker takes its next job first: done() passes the answer
        //  on to store and waits for it, and the worker decodes meanwhile.
        dispatch (self);
        self->done (self->context, job, answer, size, NULL);
        free (answer);
    }
    else
    if (rc != 0) {
        //  The end of its stream, or an answer nobody asked for.
        char pid [16];
        snprintf (pid, sizeof pid, "%d", (int) worker->pid);
        ow_warn ("a worker stopped; starting another", "pid", pid);
        bury (self, worker, "the extraction worker stopped while decoding the document; "
                            "try again");
        spawn (self, worker);
        dispatch (self);
    }
    return 0;
}

//  Once a second: workers past their deadline are replaced, and workers
//  that could not be started are tried again.
static int
on_tick (zloop_t *loop, int timer_id, void *argument)
{
    ingest_workers_t *self = argument;
    int64_t now = zclock_mono ();
    for (int i = 0; i < self->count; i++) {
        worker_t *worker = &self->workers [i];
        if (worker->job && now > worker->deadline) {
            ow_warn ("a worker overran its time; starting another");
            bury (self, worker, "the extraction worker stopped answering; try again");
        }
        if (worker->fd < 0)
            spawn (self, worker);
    }
    dispatch (self);
    return 0;
}

ingest_workers_t *
ingest_workers_new (const ow_security_limits_t *limits, ingest_workers_done_fn *done,
                    void *context)
{
    ingest_workers_t *self = ow_calloc (1, sizeof *self);
    self->count = limits->workers;
    self->workers = ow_calloc ((size_t) self->count, sizeof (worker_t));
    self->waiting = zlistx_new ();
    self->waiting_max = (size_t) limits->queue;
    //  The worker's own wall-clock limit (worker.c) and a grace period.
    self->timeout_ms = (limits->decode_seconds * 2 + 5) * 1000 + WORKER_GRACE_MS;
    self->done = done;
    self->context = context;
    for (int i = 0; i < self->count; i++) {
        self->workers [i].fd = -1;
        spawn (self, &self->workers [i]);
    }
    return self;
}

void
ingest_workers_destroy (ingest_workers_t **self_p)
{
    ingest_workers_t *self = *self_p;
    if (!self)
        return;
    waiting_t *next;
    while ((next = zlistx_first (self->waiting)) != NULL) {
        zlistx_detach_cur (self->waiting);
        self->done (self->context, next->job, NULL, 0, "ingest is stopping; try again");
        free (next->bytes);
        free (next);
    }
    zlistx_destroy (&self->waiting);
    //  Closing its end is a worker's signal to finish and exit.
    for (int i = 0; i < self->count; i++) {
        worker_t *worker = &self->workers [i];
        if (worker->fd >= 0)
            close (worker->fd);
        worker->fd = -1;
    }
    //  The reactor has ended; bury must not touch it.
    self->loop = NULL;
    int64_t deadline = zclock_mono () + STOP_WAIT_MS;
    for (int i = 0; i < self->count; i++) {
        worker_t *worker = &self->workers [i];
        while (worker->pid > 0 && zclock_mono () < deadline) {
            pid_t ended = waitpid (worker->pid, NULL, WNOHANG);
            if (ended == worker->pid || (ended < 0 && errno != EINTR))
                worker->pid = 0;
            else
                zclock_sleep (10);
        }
        bury (self, worker, "ingest is stopping; try again");
    }
    free (self->workers);
    free (self);
    *self_p = NULL;
}

int
ingest_workers_attach (ingest_workers_t *self, zloop_t *loop)
{
    self->loop = loop;
    for (int i = 0; i < self->count; i++)
        if (self->workers [i].fd >= 0) {
            zmq_pollitem_t item = { NULL, self->workers [i].fd, ZMQ_POLLIN, 0 };
            zloop_poller (loop, &item, on_readable, self);
        }
    return zloop_timer (loop, TICK_MS, 0, on_tick, self);
}

bool
ingest_workers_queue (ingest_workers_t *self, uint8_t *bytes, size_t size, void *job)
{
    if (zlistx_size (self->waiting) >= self->waiting_max) {
        free (bytes);
        return false;
    }
    waiting_t *entry = ow_malloc (sizeof *entry);
    entry->bytes = bytes;
    entry->size = size;
    entry->job = job;
    zlistx_add_end (self->waiting, entry);
    dispatch (self);
    return true;
}

size_t
ingest_workers_waiting (ingest_workers_t *self)
{
    return self ? zlistx_size (self->waiting) : 0;
}
