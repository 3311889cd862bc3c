/*  ow_keys — the registry of client certificates; see ow_keys.h.

    Public certificates are read with zconfig rather than zcert_load, which
    would also read a secret file lying beside them: the registry needs
    only the public key and the metadata. Files are replaced by writing a
    temporary file and renaming it, so a reader sees the old certificate
    or the new one, never half of one.
*/

#include "ow_keys.h"
#include "ow_log.h"

#include <dirent.h>
#include <errno.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define CERT_SUFFIX   ".cert"
//  zcert writes the secret key of a public-only certificate as 32 zero
//  bytes, which Z85 encodes as forty zeros.
#define NO_SECRET     "0000000000000000000000000000000000000000"

struct _ow_keys_t {
    char *directory;
    zhashx_t *by_public;        // Z85 public key -> name
    ow_keys_watch_t *watch;     // the directory's changes since the last scan
    zhashx_t *current;          // name -> cached_t, for ow_keys_current
};

//  A key as read from its file, with what its file was then: a rename
//  (how every key is written and revoked) gives the file a new inode.
typedef struct {
    ow_key_t *key;
    dev_t device;
    ino_t inode;
    struct timespec modified;
    off_t size;
} cached_t;

#define CURRENT_MAX 10000

// ---------------------------------------------------------------------------
//  Reading certificates

static char *
cert_path (ow_keys_t *self, const char *name)
{
    return ow_printf ("%s/%s" CERT_SUFFIX, self->directory, name);
}

static void
split_words (const char *text, char ***array, size_t *count)
{
    char *copy = ow_strdup (text ? text : "");
    char *save = NULL;
    for (char *word = strtok_r (copy, " ,", &save); word; word = strtok_r (NULL, " ,", &save))
        ow_pb_append_string (array, count, word);
    free (copy);
}

//  A key from the public certificate of `name` at path; NULL when the file
//  is missing, malformed, or not the certificate of that name.
static ow_key_t *
read_key (const char *path, const char *name)
{
    zconfig_t *root = zconfig_load (path);
    if (!root)
        return NULL;
    const char *public_key = zconfig_get (root, "curve/public-key", NULL);
    const char *meta_name = zconfig_get (root, "metadata/name", NULL);
    ow_role_t role = ow_role_from_word (zconfig_get (root, "metadata/role", NULL));
    ow_key_t *key = NULL;
    if (public_key && strlen (public_key) == 40 && meta_name && strcmp (meta_name, name) == 0
        && role != OW_ROLE_NONE) {
        key = ow_calloc (1, sizeof *key);
        key->name = ow_strdup (name);
        key->public_key = ow_strdup (public_key);
        key->role = role;
        split_words (zconfig_get (root, "metadata/authorities", ""), &key->authorities,
                     &key->n_authorities);
        key->ofsted = strcmp (zconfig_get (root, "metadata/ofsted", "no"), "yes") == 0;
        const char *rate = zconfig_get (root, "metadata/rate", NULL);
        key->rate = rate ? atoi (rate) : -1;
        key->created = ow_strdup (zconfig_get (root, "metadata/created", ""));
        const char *revoked = zconfig_get (root, "metadata/revoked", NULL);
        key->revoked = revoked && *revoked ? ow_strdup (revoked) : NULL;
    }
    zconfig_destroy (&root);
    return key;
}

static void
cached_destroy (cached_t **self_p)
{
    cached_t *self = *self_p;
    if (self) {
        ow_key_destroy (&self->key);
        free (self);
        *self_p = NULL;
    }
}

ow_keys_t *
ow_keys_new (const char *directory)
{
    ow_keys_t *self = ow_calloc (1, sizeof *self);
    self->directory = ow_strdup (directory);
    self->by_public = zhashx_new ();
    zhashx_set_destructor (self->by_public, (zhashx_destructor_fn *) zstr_free);
    zhashx_set_duplicator (self->by_public, (zhashx_duplicator_fn *) strdup);
    self->current = zhashx_new ();
    zhashx_set_destructor (self->current, (zhashx_destructor_fn *) cached_destroy);
    return self;
}

void
ow_keys_destroy (ow_keys_t **self_p)
{
    ow_keys_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->by_public);
        zhashx_destroy (&self->current);
        ow_keys_watch_destroy (&self->watch);
        free (self->directory);
        free (self);
        *self_p = NULL;
    }
}

const char *
ow_keys_directory (ow_keys_t *self)
{
    return self->directory;
}

ow_key_t *
ow_keys_find (ow_keys_t *self, const char *name)
{
    if (!ow_keys_valid_name (name))
        return NULL;
    char *path = cert_path (self, name);
    ow_key_t *key = read_key (path, name);
    free (path);
    return key;
}

const ow_key_t *
ow_keys_current (ow_keys_t *self, const char *name)
{
    if (!ow_keys_valid_name (name))
        return NULL;
    char *path = cert_path (self, name);
    struct stat info;
    bool exists = stat (path, &info) == 0;
    cached_t *cached = zhashx_lookup (self->current, name);
    if (cached && exists && cached->device == info.st_dev && cached->inode == info.st_ino
        && cached->size == info.st_size && cached->modified.tv_sec == info.st_mtim.tv_sec
        && cached->modified.tv_nsec == info.st_mtim.tv_nsec) {
        free (path);
        return cached->key;
    }
    zhashx_delete (self->current, name);
    ow_key_t *key = exists ? read_key (path, name) : NULL;
    free (path);
    if (!key)
        return NULL;
    if (zhashx_size (self->current) >= CURRENT_MAX)
        zhashx_purge (self->current);
    cached = ow_calloc (1, sizeof *cached);
    cached->key = key;
    cached->device = info.st_dev;
    cached->inode = info.st_ino;
    cached->modified = info.st_mtim;
    cached->size = info.st_size;
    zhashx_insert (self->current, name, cached);
    return key;
}

//  The names of the certificates in the directory (NAME for NAME.cert).
static zlistx_t *
cert_names (ow_keys_t *self)
{
    zlistx_t *names = zlistx_new ();
    zlistx_set_destructor (names, (zlistx_destructor_fn *) zstr_free);
    zlistx_set_comparator (names, (zlistx_comparator_fn *) strcmp);
    DIR *dir = opendir (self->directory);
    struct dirent *entry;
    while (dir && (entry = readdir (dir)) != NULL) {
        size_t length = strlen (entry->d_name), suffix = strlen (CERT_SUFFIX);
        if (length <= suffix || strcmp (entry->d_name + length - suffix, CERT_SUFFIX) != 0)
            continue;
        char *name = ow_strndup (entry->d_name, length - suffix);
        if (ow_keys_valid_name (name))
            zlistx_add_end (names, name);
        else
            free (name);
    }
    if (dir)
        closedir (dir);
    zlistx_sort (names);
    return names;
}

//  Whether the directory may have changed since the last scan. inotify
//  says so exactly (a directory's time is too coarse: two renames in one
//  clock tick leave it alone); until the directory can be watched (it may
//  not exist yet), always.
static bool
directory_changed (ow_keys_t *self)
{
    if (!self->watch) {
        struct stat info;
        if (stat (self->directory, &info) != 0)
            return true;
        //  Watched from before the scan this is about to cause.
        self->watch = ow_keys_watch_new (self->directory);
        return true;
    }
    return ow_keys_watch_changed (self->watch);
}

static void
rescan (ow_keys_t *self)
{
    zhashx_purge (self->by_public);
    zlistx_t *names = cert_names (self);
    for (char *name = zlistx_first (names); name; name = zlistx_next (names)) {
        ow_key_t *key = ow_keys_find (self, name);
        if (key)
            zhashx_update (self->by_public, key->public_key, name);
        ow_key_destroy (&key);
    }
    zlistx_destroy (&names);
}

ow_key_t *
ow_keys_find_public (ow_keys_t *self, const char *public_key)
{
    if (!public_key)
        return NULL;
    if (directory_changed (self))
        rescan (self);
    const char *name = zhashx_lookup (self->by_public, public_key);
    //  The file is read again: it may have been revoked since the scan
    //  (a rename within the same clock tick leaves the mtime alone).
    ow_key_t *key = name ? ow_keys_find (self, name) : NULL;
    if (key && strcmp (key->public_key, public_key) != 0)
        ow_key_destroy (&key);
    return key;
}

size_t
ow_keys_list (ow_keys_t *self, ow_key_t ***keys)
{
    *keys = NULL;
    size_t count = 0;
    zlistx_t *names = cert_names (self);
    for (char *name = zlistx_first (names); name; name = zlistx_next (names)) {
        ow_key_t *key = ow_keys_find (self, name);
        if (key)
            ow_pb_append ((void ***) keys, &count, key);
    }
    zlistx_destroy (&names);
    return count;
}

void
ow_keys_list_free (ow_key_t ***keys, size_t count)
{
    for (size_t i = 0; *keys && i < count; i++)
        ow_key_destroy (&(*keys) [i]);
    free (*keys);
    *keys = NULL;
}

// ---------------------------------------------------------------------------
//  The services' pair

zcert_t *
ow_keys_load_pair (const char *path, char **error)
{
    if (!zsys_file_exists (path)) {
        *error = ow_printf ("there is no certificate at %s", path);
        return NULL;
    }
    zcert_t *cert = zcert_load (path);
    if (!cert)
        *error = ow_printf ("%s is not a certificate CZMQ can read", path);
    else
    if (strcmp (zcert_secret_txt (cert), NO_SECRET) == 0) {
        *error = ow_printf ("%s has no secret half (%s_secret is missing)", path, path);
        zcert_destroy (&cert);
    }
    return cert;
}

zcert_t *
ow_keys_server_pair (ow_keys_t *self, char **error)
{
    char *path = cert_path (self, OW_KEYS_SERVER_NAME);
    zcert_t *cert = ow_keys_load_pair (path, error);
    free (path);
    return cert;
}

char *
ow_keys_server_public (ow_keys_t *self, char **error)
{
    char *path = cert_path (self, OW_KEYS_SERVER_NAME);
    zconfig_t *root = zconfig_load (path);
    const char *public_key = root ? zconfig_get (root, "curve/public-key", NULL) : NULL;
    char *result = NULL;
    if (public_key && strlen (public_key) == 40)
        result = ow_strdup (public_key);
    else
        *error = ow_printf ("there is no readable server certificate at %s", path);
    zconfig_destroy (&root);
    free (path);
    return result;
}

// ---------------------------------------------------------------------------
//  Writing certificates

static bool
ensure_directory (ow_keys_t *self, char **error)
{
    if (zsys_file_exists (self->directory))
        return true;
    if (zsys_dir_create ("%s", self->directory) != 0) {
        *error = ow_printf ("cannot create the keys directory %s: %s", self->directory,
                            strerror (errno));
        return false;
    }
    chmod (self->directory, 0700);
    return true;
}

//  Writes the public certificate to path through a temporary file.
static bool
save_public (zcert_t *cert, const char *path, char **error)
{
    char *temporary = ow_printf ("%s.tmp.%d", path, (int) getpid ());
    bool ok = zcert_save_public (cert, temporary) == 0 && rename (temporary, path) == 0;
    if (!ok) {
        *error = ow_printf ("cannot write %s: %s", path, strerror (errno));
        unlink (temporary);
    }
    free (temporary);
    return ok;
}

static bool
save_secret (zcert_t *cert, const char *path, char **error)
{
    char *secret = ow_printf ("%s_secret", path);
    bool ok = zcert_save_secret (cert, secret) == 0 && chmod (secret, 0600) == 0;
    if (!ok)
        *error = ow_printf ("cannot write %s: %s", secret, strerror (errno));
    free (secret);
    return ok;
}

static void
set_created (zcert_t *cert)
{
    char now [40];
    ow_log_timestamp (now, sizeof now, 3);
    zcert_set_meta (cert, "created", "%s", now);
}

bool
ow_keys_make_server (ow_keys_t *self, bool *created, char **error)
{
    *created = false;
    if (!ensure_directory (self, error))
        return false;
    char *path = cert_path (self, OW_KEYS_SERVER_NAME);
    bool ok = true;
    if (!zsys_file_exists (path)) {
        zcert_t *cert = zcert_new ();
        zcert_set_meta (cert, "name", OW_KEYS_SERVER_NAME);
        zcert_set_meta (cert, "role", "%s", ow_role_word (OW_ROLE_SERVICE));
        set_created (cert);
        ok = save_secret (cert, path, error) && save_public (cert, path, error);
        *created = ok;
        zcert_destroy (&cert);
    }
    free (path);
    return ok;
}

static zcert_t *
new_cert (const ow_key_spec_t *spec)
{
    zcert_t *cert = zcert_new ();
    zcert_set_meta (cert, "name", "%s", spec->name);
    zcert_set_meta (cert, "role", "%s", ow_role_word (spec->role));
    if (spec->n_authorities) {
        char *codes = ow_strdup ("");
        for (size_t i = 0; i < spec->n_authorities; i++) {
            char *longer = ow_printf ("%s%s%s", codes, i ? " " : "", spec->authorities [i]);
            free (codes);
            codes = longer;
        }
        zcert_set_meta (cert, "authorities", "%s", codes);
        free (codes);
    }
    if (spec->ofsted)
        zcert_set_meta (cert, "ofsted", "yes");
    if (spec->rate >= 0)
        zcert_set_meta (cert, "rate", "%d", spec->rate);
    set_created (cert);
    return cert;
}

static bool
check_spec (const ow_key_spec_t *spec, char **error)
{
    if (!ow_keys_valid_name (spec->name))
        *error = ow_printf ("\"%s\" is not a usable key name: use 1-%d letters, digits, '.', "
                            "'_' or '-', not \"%s\"", spec->name ? spec->name : "",
                            OW_KEY_NAME_MAX, OW_KEYS_SERVER_NAME);
    else
    if (spec->role == OW_ROLE_NONE)
        *error = ow_strdup ("a key's role is council, inspectorate, subscriber or service");
    else
    if (spec->role == OW_ROLE_COUNCIL && spec->n_authorities == 0)
        *error = ow_strdup ("a council key needs at least one authority");
    else
    if (spec->role != OW_ROLE_COUNCIL && (spec->n_authorities || spec->ofsted))
        *error = ow_printf ("a key of role %s may not be limited to authorities or given "
                            "--ofsted", ow_role_word (spec->role));
    return *error == NULL;
}

ow_key_t *
ow_keys_create (ow_keys_t *self, const ow_key_spec_t *spec, const char *pair_path,
                char **error)
{
    *error = NULL;
    if (!check_spec (spec, error) || !ensure_directory (self, error))
        return NULL;
    char *path = cert_path (self, spec->name);
    if (zsys_file_exists (path)) {
        *error = ow_printf ("a key called %s exists already (%s)", spec->name, path);
        free (path);
        return NULL;
    }
    zcert_t *cert = new_cert (spec);
    const char *pair = pair_path ? pair_path : path;
    //  The secret half first: the public half is what makes the key known.
    bool ok = save_secret (cert, pair, error)
           && (!pair_path || save_public (cert, pair_path, error))
           && save_public (cert, path, error);
    zcert_destroy (&cert);
    ow_key_t *key = ok ? ow_keys_find (self, spec->name) : NULL;
    if (ok && !key)
        *error = ow_printf ("%s was written but cannot be read back", path);
    free (path);
    return key;
}

bool
ow_keys_make_service (ow_keys_t *self, const char *name, bool *created, char **error)
{
    *created = false;
    *error = NULL;
    ow_key_t *key = ow_keys_find (self, name);
    if (key) {
        if (key->role != OW_ROLE_SERVICE)
            *error = ow_printf ("a key called %s exists already with the role %s, not service",
                                name, ow_role_word (key->role));
        ow_key_destroy (&key);
        return *error == NULL;
    }
    ow_key_spec_t spec = { .name = name, .role = OW_ROLE_SERVICE, .rate = -1 };
    key = ow_keys_create (self, &spec, NULL, error);
    *created = key != NULL;
    ow_key_destroy (&key);
    return *created;
}

bool
ow_keys_revoke (ow_keys_t *self, const char *name, char **error)
{
    ow_key_t *key = ow_keys_find (self, name);
    if (!key) {
        *error = ow_printf ("there is no key called %s in %s", name ? name : "",
                            self->directory);
        return false;
    }
    bool ok = true;
    if (!key->revoked) {
        char *path = cert_path (self, name);
        zconfig_t *root = zconfig_load (path);
        char now [40];
        ow_log_timestamp (now, sizeof now, 3);
        zconfig_put (root, "metadata/revoked", now);
        char *temporary = ow_printf ("%s.tmp.%d", path, (int) getpid ());
        ok = zconfig_save (root, temporary) == 0 && rename (temporary, path) == 0;
        if (!ok) {
            *error = ow_printf ("cannot write %s: %s", path, strerror (errno));
            unlink (temporary);
        }
        free (temporary);
        zconfig_destroy (&root);
        free (path);
    }
    ow_key_destroy (&key);
    return ok;
}

// ---------------------------------------------------------------------------
//  Watching the directory

struct _ow_keys_watch_t {
    int fd;                     // inotify, non-blocking; -1 when not watched
};

ow_keys_watch_t *
ow_keys_watch_new (const char *directory)
{
    ow_keys_watch_t *self = ow_calloc (1, sizeof *self);
    self->fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
    uint32_t events = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE
                    | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;
    if (self->fd >= 0 && inotify_add_watch (self->fd, directory, events) < 0) {
        close (self->fd);
        self->fd = -1;
    }
    if (self->fd < 0)
        ow_warn ("cannot watch the keys directory; it is read again whenever it matters "
                 "instead", "keys", directory, "reason", strerror (errno));
    return self;
}

void
ow_keys_watch_destroy (ow_keys_watch_t **self_p)
{
    ow_keys_watch_t *self = *self_p;
    if (self) {
        if (self->fd >= 0)
            close (self->fd);
        free (self);
        *self_p = NULL;
    }
}

bool
ow_keys_watch_changed (ow_keys_watch_t *self)
{
    if (self->fd < 0)
        return true;
    bool changed = false;
    char buffer [4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
    while (read (self->fd, buffer, sizeof buffer) > 0)
        changed = true;
    return changed;
}
