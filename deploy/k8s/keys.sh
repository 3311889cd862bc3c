#!/bin/sh
# deploy/k8s/keys.sh DIR - the CURVE certificates of a deployment, made in
# DIR unless they are there: the servers' pair (server.cert and
# server.cert_secret), a service key for each service below (NAME.cert and
# NAME.cert_secret, the certificate ofwatch-NAME presents to the others;
# a new service is one more name in the list), and local-admin, the
# inspectorate key the probes and the operator's CLI present. DIR becomes
# the Secret ofwatch-keys:
#
#   deploy/k8s/keys.sh ./k8s-keys
#   kubectl -n ofwatch create secret generic ofwatch-keys --from-file=./k8s-keys/
#
# Needs the ofwatch CLI (make build puts it in build/bin). Keep DIR out of
# version control: it holds secret keys.
set -eu
SERVICES="store ingest analytics notify watch"
dir=${1:?usage: deploy/k8s/keys.sh DIR}
OFWATCH_KEYS=$dir
export OFWATCH_KEYS
mkdir -p "$dir"
# shellcheck disable=SC2086
ofwatch keys services $SERVICES
if [ ! -f "$dir/local-admin.cert" ]; then
  ofwatch keys new local-admin --role inspectorate --rate 0
fi
echo "keys in $dir; load them with:"
echo "  kubectl -n ofwatch create secret generic ofwatch-keys --from-file=$dir/"
