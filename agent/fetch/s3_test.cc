#include "agent/fetch/s3.h"

#include <catch2/catch.hpp>

#include "agent/fetch/gcs.h"

namespace flint::agent {
namespace {

TEST_CASE("s3: s3:// URLs map to anonymous HTTPS GETs", "[s3]") {
  CHECK(S3Url("s3://bucket/path/to/config.ign", "", "").url == "https://bucket.s3.amazonaws.com/path/to/config.ign");
  CHECK(S3Url("s3://bucket/config.ign", "eu-west-1", "").url == "https://bucket.s3.eu-west-1.amazonaws.com/config.ign");
  CHECK(S3Url("s3://my.dotted.bucket/k", "us-east-2", "").url == "https://s3.us-east-2.amazonaws.com/my.dotted.bucket/k");
  CHECK(S3Url("s3://bucket/a%20b+c", "", "").url == "https://bucket.s3.amazonaws.com/a%20b%2Bc");
  CHECK(S3Url("s3://bucket/k?versionId=abc.123", "", "").url == "https://bucket.s3.amazonaws.com/k?versionId=abc.123");
  CHECK(S3Url("s3://bucket/dir/k", "", "http://127.0.0.1:9000/").url == "http://127.0.0.1:9000/bucket/dir/k");
  CHECK(S3Url("s3://bucket", "", "").error == "an s3 URL needs a bucket and a key (s3://bucket/key)");
}

TEST_CASE("s3: arn sources pick the partition's domain", "[s3]") {
  CHECK(S3Url("arn:aws:s3:::bucket/key/x.ign", "", "").url == "https://bucket.s3.amazonaws.com/key/x.ign");
  CHECK(S3Url("arn:aws-cn:s3:::bucket/k", "cn-north-1", "").url == "https://bucket.s3.cn-north-1.amazonaws.com.cn/k");
  CHECK(S3Url("arn:aws-us-gov:s3:::bucket/k?versionId=7", "us-gov-west-1", "").url ==
        "https://bucket.s3.us-gov-west-1.amazonaws.com/k?versionId=7");
  CHECK(S3Url("arn:aws:s3:us-west-2:123456789012:accesspoint/ap/object/dir/k", "", "").url ==
        "https://ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com/dir/k");
  CHECK(S3Url("arn:aws:s3:::bucket/k", "", "http://127.0.0.1:9000").url == "http://127.0.0.1:9000/bucket/k");
  CHECK(S3Url("arn:aws-mars:s3:::bucket/k", "", "").error == "unknown AWS partition 'aws-mars'");
  CHECK(S3Url("arn:aws:s3:::bucket", "", "").error == "invalid S3 ARN format");
  CHECK(S3Url("arn:aws:s3:us-west-2:1:accesspoint/ap", "", "").error ==
        "invalid S3 access point ARN (accesspoint/<name>/object/<key>)");
}

TEST_CASE("gcs: gs:// URLs use the JSON API with the object as one segment", "[gcs]") {
  CHECK(GcsUrl("gs://bucket/dir/config.ign", "").url ==
        "https://storage.googleapis.com/storage/v1/b/bucket/o/dir%2Fconfig.ign?alt=media");
  CHECK(GcsUrl("gs://bucket/a b", "http://127.0.0.1:8080/").url ==
        "http://127.0.0.1:8080/storage/v1/b/bucket/o/a%20b?alt=media");
  CHECK(GcsUrl("gs://bucket/", "").error == "a gs URL needs a bucket and an object (gs://bucket/object)");
}

}  // namespace
}  // namespace flint::agent
