#!/bin/sh
# Generates the certificates flint's TLS integration tests use, with the
# openssl CLI, into DIR:
#   ca.crt              a test root CA              (ca.key)
#   other-ca.crt        an unrelated root CA
#   good.crt/.key       for localhost, 127.0.0.1, 0.0.0.0, signed by ca
#   expired.crt/.key    the same names, valid 2020-01-01 .. 2020-01-02
#   future.crt/.key     the same names, valid from 2099-01-01
#   wrong-name.crt/.key for wrong.example only
# Usage: make_certs.sh DIR
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"

subj_ca="/O=flint tests/CN=flint test root CA"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 3650 \
  -subj "$subj_ca" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key -out other-ca.crt -days 3650 \
  -subj "/O=flint tests/CN=unrelated CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# `openssl ca` is the CLI that can set arbitrary validity dates.
mkdir -p newcerts
: > index.txt
echo 1000 > serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
certificate = ca.crt
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
organizationName = optional
[ server ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
CNF

issue() { # name cn san start end
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/O=flint tests/CN=$2" -addext "subjectAltName=$3" 2>/dev/null
  openssl ca -batch -config ca.cnf -extensions server -notext \
    -startdate "$4" -enddate "$5" -in "$1.csr" -out "$1.crt" 2>/dev/null
}

names="DNS:localhost,IP:127.0.0.1,IP:0.0.0.0"
issue good localhost "$names" 20200101000000Z 20991231000000Z
issue expired localhost "$names" 20200101000000Z 20200102000000Z
issue future localhost "$names" 20990101000000Z 20991231000000Z
issue wrong-name wrong.example "DNS:wrong.example" 20200101000000Z 20991231000000Z
