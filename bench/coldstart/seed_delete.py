# The lab lesson's delete function ("Add Delete Support and Keep the Dashboard in Sync", Part 3),
# verbatim: the Python baseline of bin/bench-coldstart. Not part of the product.
import json
import os
import boto3

s3_client = boto3.client("s3")
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["TABLE_NAME"])
upload_bucket = os.environ["UPLOAD_BUCKET"]


def lambda_handler(event, context):
    try:
        body = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError:
        return {
            "statusCode": 400,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"error": "Invalid JSON body"})
        }
    bucket = body.get("bucket")
    object_key = body.get("key")
    if not bucket or not object_key:
        return {
            "statusCode": 400,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"error": "Missing required fields: bucket and key"})
        }
    if bucket != upload_bucket:
        return {
            "statusCode": 400,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"error": "Bucket does not match configured upload bucket"})
        }
    # 1. Delete from S3
    s3_client.delete_object(
        Bucket=bucket,
        Key=object_key
    )
    # 2. Delete from DynamoDB
    table.delete_item(
        Key={
            "bucket": bucket,
            "object_key": object_key
        }
    )
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({
            "message": "Deleted successfully",
            "bucket": bucket,
            "object_key": object_key
        })
    }
