"""moto_server with two fixes to its S3 authorization under IAM enforcement, so it judges requests as AWS does.

1. The canonical request of SigV4 checks, for keys and prefixes holding '=', '+' or '/'. moto hands botocore the path
   and query as the web server decoded them (%3D back to '=', %2B to '+', %2F to '/'), and botocore takes an S3 URL as
   already encoded. The client signed the encoded form (AWS SigV4: every byte but A-Z a-z 0-9 - _ . ~ percent-encoded,
   once; '/' kept in the path). So every key holding '=' or '+' and every listing under a prefix failed with
   SignatureDoesNotMatch, for boto3 as for the AWS SDK for Java, and Iceberg's partitioned data files
   (`order_date_day=2026-09-19/...`) could not be written. Encoding the decoded parts again is the canonical form AWS
   computes.
2. DeleteObjects (POST ?delete). AWS authorizes it per key, as s3:DeleteObject on each object's ARN; moto checks
   s3:DeleteObject on the bucket's ARN, so a role allowed to delete under a prefix (every role here) had every bulk
   delete refused. Here each key is checked against its object ARN; if any is denied, the request is answered as moto
   answers a denied bucket (every key listed as AccessDenied), stricter than AWS, which denies only those keys.

Nothing else changes: same arguments as `moto_server`.
"""
import sys
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import xmltodict

import moto.core.authorization as authorization
import moto.iam.access_control as access_control
from moto.s3.exceptions import BucketAccessDeniedError, S3AccessDeniedError

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

_authorize_s3 = authorization.ActionAuthenticatorMixin._authenticate_and_authorize_s3_action


def _authorize_s3_per_key(self, bucket_name=None, key_name=None):
    is_delete_objects = (key_name is None and getattr(self, "method", None) == "POST"
                         and hasattr(self, "is_delete_keys") and self.is_delete_keys())
    if not is_delete_objects:
        return _authorize_s3(self, bucket_name=bucket_name, key_name=key_name)
    objects = xmltodict.parse(self.body, strip_whitespace=False).get("Delete", {}).get("Object", [])
    for obj in objects if isinstance(objects, list) else [objects]:
        try:
            _authorize_s3(self, bucket_name=bucket_name, key_name=obj["Key"])
        except S3AccessDeniedError:
            raise BucketAccessDeniedError(bucket=bucket_name)


authorization.ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = _authorize_s3_per_key

from moto.server import main  # noqa: E402  (after the fixes, so the server uses them)

if __name__ == "__main__":
    main(sys.argv[1:])
