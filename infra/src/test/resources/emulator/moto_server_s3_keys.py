"""moto_server with one fix: the canonical request of S3 SigV4 checks, for keys and prefixes holding '=', '+' or '/'.

Under IAM enforcement moto recomputes each request's SigV4 signature. For S3 it hands botocore the path and query as
the web server decoded them (%3D back to '=', %2B to '+', %2F to '/'), and botocore takes an S3 URL as already
encoded. The client signed the encoded form (AWS SigV4: every byte but A-Z a-z 0-9 - _ . ~ percent-encoded, once;
'/' kept in the path). So every key holding '=' or '+' and every listing under a prefix fails with
SignatureDoesNotMatch, for boto3 as for the AWS SDK for Java, and Iceberg's partitioned data files
(`order_date_day=2026-09-19/...`) cannot be written. Encoding the decoded parts again is the canonical form AWS
computes. Nothing else changes: same arguments as `moto_server`.
"""
import sys
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import moto.iam.access_control as access_control

_create_aws_request = access_control.S3IAMRequest._create_aws_request


def _encoded(text, safe):
    return quote(unquote(text), safe=safe)


def _canonical_s3_request(self):
    request = _create_aws_request(self)
    parts = urlsplit(request.url)
    query = "&".join(
        "=".join(_encoded(piece, "-_.~") for piece in pair.split("=", 1))
        for pair in parts.query.split("&") if pair
    )
    request.url = urlunsplit(parts._replace(path=_encoded(parts.path, "/~"), query=query))
    return request


access_control.S3IAMRequest._create_aws_request = _canonical_s3_request

from moto.server import main  # noqa: E402  (after the fix, so the server uses it)

if __name__ == "__main__":
    main(sys.argv[1:])
