/*  worker — a process that extracts facts from documents for ingest.

    ingest starts each worker as `ofwatch-ingest --worker` with one end of
    a socket pair on descriptor 3: a fresh program, never a fork of
    ingest itself, whose threads and sockets a fork would leave
    half-copied. The worker loads the register and the extraction tables
    once, then for each job forks a child that sandboxes itself
    (sandbox.c), extracts, writes its ExtractResult to a pipe and exits.
    The worker watches the child: a child that overruns its processor
    time, memory or wall-clock time, crashes, or answers nonsense costs
    that one document, and the worker tells ingest why in a sentence.
*/

#include "ingest.h"
#include "channel.h"
#include "ex_tables.h"
#include "extract.h"
#include "ow_hash.h"
#include "ow_log.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKER_FD 3
//  A job is a SubmitRequest: the largest document and its envelope.
#define JOB_MAX   (EXTRACT_MAX_DOCUMENT + 1024 * 1024)

//  The child: decode one document and write what was found to `out`.
static int
child_extract (const ow_register_t *reg, const ow_security_limits_t *limits,
               const uint8_t *job, size_t size, int out)
{
    ingest_sandbox_enter (limits);
    Ofwatch__V1__SubmitRequest *request = ofwatch__v1__submit_request__unpack (NULL, size, job);
    Ofwatch__V1__ExtractResult result = OFWATCH__V1__EXTRACT_RESULT__INIT;
    char *text = NULL, *error = NULL;
    if (request) {
        extract_input_t input = {
            .bytes = request->content.data,
            .size = request->content.len,
            .file_name = request->file_name,
            .declared_authority = *request->declared_authority
                                ? request->declared_authority : NULL,
            .declared_published = *request->declared_published
                                ? request->declared_published : NULL,
        };
        result.extraction = extract_document (reg, &input, &text, &error);
    }
    else
        error = ow_strdup ("the submission could not be read");
    result.text = text ? text : (char *) "";
    result.error = error ? error : (char *) "";
    bool written = channel_write (out, &result.base);
    ow_pb_free (&result.extraction);
    ow_pb_free (&request);
    free (text);
    free (error);
    return written ? 0 : 1;
}

//  Why a child gave no answer, as a sentence for the submitter. A child
//  cut short by the clock on a busy machine may not have used all its
//  processor time yet: how much it had is said too.
static char *
fate (int status, bool timed_out, int wall_seconds, double cpu_seconds,
      const ow_security_limits_t *limits)
{
    if (timed_out)
        return ow_printf ("decoding took longer than %d s (%.1f s of the %d s of processor time "
                          "allowed); the document may be damaged or built to exhaust the "
                          "decoder", wall_seconds, cpu_seconds, limits->decode_seconds);
    if (WIFSIGNALED (status) && (WTERMSIG (status) == SIGXCPU || WTERMSIG (status) == SIGKILL))
        return ow_printf ("decoding took more than the %d s of processor time allowed; the "
                          "document may be damaged or built to exhaust the decoder",
                          limits->decode_seconds);
    if (WIFSIGNALED (status))
        return ow_printf ("the decoder failed on this document (signal %d): it is damaged, or "
                          "needed more than the %d MiB of memory allowed",
                          WTERMSIG (status), limits->decode_memory_mb);
    return ow_printf ("the decoder failed on this document (exit %d)", WEXITSTATUS (status));
}

//  An ExtractResult holding only an error, packed.
static uint8_t *
failure (char *sentence, size_t *size)
{
    Ofwatch__V1__ExtractResult result = OFWATCH__V1__EXTRACT_RESULT__INIT;
    result.error = sentence;
    *size = protobuf_c_message_get_packed_size (&result.base);
    uint8_t *bytes = ow_malloc (*size);
    protobuf_c_message_pack (&result.base, bytes);
    free (sentence);
    return bytes;
}

//  Runs one job in a sandboxed child; returns a packed ExtractResult.
static uint8_t *
extract_in_child (const ow_register_t *reg, const ow_security_limits_t *limits,
                  const uint8_t *job, size_t size, size_t *answer_size)
{
    int pipe_fds [2];
    if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
        return failure (ow_printf ("cannot start a decoder: %s", strerror (errno)), answer_size);
    int wall_seconds = limits->decode_seconds * 2 + 5;
    int64_t deadline = zclock_mono () + (int64_t) wall_seconds * 1000;
    pid_t pid = fork ();
    if (pid == 0) {
        close (pipe_fds [0]);
        close (WORKER_FD);
        //  _exit: the child's memory is a copy of the worker's, which the
        //  worker frees itself (the same extraction code is leak-checked
        //  in the unit tests and `ofwatch extract`).
        _exit (child_extract (reg, limits, job, size, pipe_fds [1]));
    }
    close (pipe_fds [1]);
    if (pid < 0) {
        close (pipe_fds [0]);
        return failure (ow_printf ("cannot start a decoder: %s", strerror (errno)), answer_size);
    }
    bool timed_out = false;
    uint8_t *answer = channel_drain (pipe_fds [0], INGEST_RESULT_MAX, deadline, answer_size,
                                     &timed_out);
    close (pipe_fds [0]);
    if (!answer)
        kill (pid, SIGKILL);        // overran its time or its answer's size
    int status = 0;
    struct rusage usage = { 0 };
    while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
        ;
    if (answer && WIFEXITED (status) && WEXITSTATUS (status) == 0)
        return answer;
    free (answer);
    double cpu_seconds = (double) usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                       + (double) usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    return failure (fate (status, timed_out, wall_seconds, cpu_seconds, limits), answer_size);
}

int
ingest_worker_main (void)
{
    ow_config_t config;
    ow_config_load (&config);
    ow_log_init ("ingest-worker", config.log);
    ow_security_limits_t limits;
    ow_security_limits_load (&limits);
    char *error = NULL;
    ow_register_t *reg = ow_register_load (config.data, &error);
    if (!reg) {
        ow_error ("cannot load the authority register", "reason", error);
        free (error);
        return 1;
    }
    //  Loaded once here, so every child starts with them. libcrypto
    //  loads its providers on first use: ~15 ms that each child would
    //  otherwise pay again for its document's SHA-256.
    ex_tables ();
    char warm [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex ("", 0, warm);
    ingest_sandbox_prepare ();
    size_t size = 0;
    uint8_t *job;
    while ((job = channel_receive (WORKER_FD, JOB_MAX, &size)) != NULL) {
        size_t answer_size = 0;
        uint8_t *answer = extract_in_child (reg, &limits, job, size, &answer_size);
        free (job);
        bool sent = channel_send_bytes (WORKER_FD, answer, answer_size);
        free (answer);
        if (!sent)
            break;
    }
    ow_register_destroy (&reg);
    return 0;
}
