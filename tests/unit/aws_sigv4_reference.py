#!/usr/bin/env python3
"""Prints the botocore (the AWS CLI's signer) Authorization headers that
tests/unit/test_aws.cpp embeds as SigV4 known answers. Run: python3 tests/unit/aws_sigv4_reference.py"""
import datetime
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = datetime.datetime(2015, 8, 30, 12, 36, 0, tzinfo=datetime.timezone.utc)
KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

CASES = [
    # name, signer class, service, method, url, headers, body, token
    ("get_root", botocore.auth.SigV4Auth, "service", "GET", "https://example.amazonaws.com/", {}, b"", None),
    ("get_query", botocore.auth.SigV4Auth, "service", "GET",
     "https://example.amazonaws.com/a%20b/./c/../d//e?zeta=x%20y&alpha=1%2F2&Caps=%E2%9C%93&alpha=0&empty=",
     {"X-Custom": "  two   spaces  "}, b"", None),
    ("post_dynamodb", botocore.auth.SigV4Auth, "dynamodb", "POST", "https://dynamodb.us-east-1.amazonaws.com/",
     {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.ListTables"},
     b'{"Limit":10}', None),
    ("session_token", botocore.auth.SigV4Auth, "dynamodb", "POST", "http://127.0.0.1:8000/",
     {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.DescribeTable"},
     b'{"TableName":"Orders"}', TOKEN),
    ("s3_get", botocore.auth.S3SigV4Auth, "s3", "GET",
     "https://examplebucket.s3.amazonaws.com/my%20folder/caf%C3%A9%20%E2%9C%93.txt?versionId=3%2F4",
     {"Range": "bytes=0-9"}, b"", None),
    ("iam_list_users", botocore.auth.SigV4Auth, "iam", "GET",
     "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
     {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, b"", None),
]

with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
    for name, signer, service, method, url, headers, body, token in CASES:
        request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
        signer(Credentials(KEY, SECRET, token), service, "us-east-1").add_auth(request)
        print(f"{name}: {request.headers['Authorization']}")
