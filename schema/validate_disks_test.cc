// Disks and partitions, RAID arrays and filesystems.
#include <catch2/catch.hpp>

#include "schema/validate_test_helpers.h"

namespace flint::schema {
namespace {

using testing::ReportOf;

TEST_CASE("disks: device, colliding numbers and labels, overlaps, zeros with shouldExist") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"disks":[{"device":""},{"device":"sda","partitions":[{"number":1},{"number":1,"label":"x"},{"label":"x"}]},)"
                 R"({"device":"/dev/vdb","partitions":[{"number":1,"startMiB":10,"sizeMiB":10},{"number":2,"startMiB":15,"sizeMiB":10},)"
                 R"({"number":3,"shouldExist":false},{"label":"0123456789012345678901234567890123456"}]}]})") ==
        "error at $.storage.disks.0.device, line 1 col 63: disk device is required\n"
        "error at $.storage.disks.1.device, line 1 col 77: path not absolute\n"
        "error at $.storage.disks.1.partitions.1, line 1 col 110: partition numbers collide\n"
        "error at $.storage.disks.1.partitions.2, line 1 col 135: cannot use the same partition "
        "label twice\n"
        "error at $.storage.disks.2.partitions.1, line 1 col 226: partitions overlap\n"
        "error at $.storage.disks.2.partitions, line 1 col 185: shouldExist is false for a "
        "partition and other partition(s) has start or size 0\n"
        "error at $.storage.disks.2.partitions.3.label, line 1 col 308: partition labels may not "
        "exceed 36 characters\n"
        "error at $.storage.disks.1.partitions.1, line 1 col 110: duplicate entry defined\n");
}

TEST_CASE("partitions: overlap rules skip starts of 0 and sizes of 0 end at the start") {
  auto disk = [](std::string_view parts) {
    return R"("storage":{"disks":[{"device":"/dev/vda","partitions":)" + std::string(parts) + "}]}";
  };
  CHECK(ReportOf("3.4.0", disk(R"([{"number":1,"startMiB":0,"sizeMiB":100},{"number":2,"startMiB":0,"sizeMiB":100}])")).empty());
  CHECK(ReportOf("3.4.0", disk(R"([{"number":1,"startMiB":10,"sizeMiB":10},{"number":2,"startMiB":20,"sizeMiB":10}])")).empty());
  CHECK(ReportOf("3.4.0", disk(R"([{"number":1,"startMiB":10,"sizeMiB":0},{"number":2,"startMiB":10,"sizeMiB":5}])")) ==
        "error at $.storage.disks.0.partitions.1, line 1 col 127: partitions overlap\n");
  // Two identical entries are still two partitions.
  CHECK(ReportOf("3.4.0", disk(R"([{"label":"a","startMiB":10,"sizeMiB":5},{"label":"b","startMiB":10,"sizeMiB":5}])")) ==
        "error at $.storage.disks.0.partitions.1, line 1 col 128: partitions overlap\n");
}

TEST_CASE("partitions: number or label, labels, GUIDs, shouldExist false alone") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"disks":[{"device":"/dev/vda","partitions":[{"number":1,"shouldExist":false,"label":"l","sizeMiB":0},)"
                 R"({"number":2,"guid":"nope","typeGuid":"0FC63DAF-8483-4772-8E79-3D69D8477DE4"},{"number":3,"guid":""},)"
                 R"({"number":4,"label":"a:b"},{"number":5,"label":"012345678901234567890123456789012345"},{}]}]})") ==
        "error at $.storage.disks.0.partitions, line 1 col 87: shouldExist is false for a "
        "partition and other partition(s) has start or size 0\n"
        "error at $.storage.disks.0.partitions.0, line 1 col 88: shouldExist specified false with "
        "other options also specified\n"
        "error at $.storage.disks.0.partitions.1.guid, line 1 col 164: doesn't match the form "
        "\"01234567-89AB-CDEF-EDCB-A98765432101\"\n"
        "error at $.storage.disks.0.partitions.3.label, line 1 col 265: partition label will be "
        "truncated to text before the colon\n"
        "error at $.storage.disks.0.partitions.5, line 1 col 332: a partition number >= 1 or a "
        "label must be specified\n");
  CHECK(ReportOf("3.0.0",
                 R"("storage":{"disks":[{"device":"/dev/vda","partitions":[{"number":1,"shouldExist":false,"typeGuid":"x"}]}]})") ==
        "error at $.storage.disks.0.partitions.0, line 1 col 88: shouldExist specified false with "
        "other options also specified\n"
        "error at $.storage.disks.0.partitions.0.typeGuid, line 1 col 131: doesn't match the form "
        "\"01234567-89AB-CDEF-EDCB-A98765432101\"\n");
}

TEST_CASE("partitions are keyed by number, else by label") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"disks":[{"device":"/dev/vda","partitions":[{"label":"a"},{"label":"a","number":2},{"number":2},{"label":"b"}]}]})") ==
        "error at $.storage.disks.0.partitions.2, line 1 col 127: partition numbers collide\n"
        "error at $.storage.disks.0.partitions.1, line 1 col 102: cannot use the same partition "
        "label twice\n"
        "error at $.storage.disks.0.partitions.2, line 1 col 127: duplicate entry defined\n");
}

TEST_CASE("raid: level required (3.3+) or recognised, spares, devices") {
  CHECK(ReportOf("3.2.0",
                 R"("storage":{"raid":[{"name":"md0","level":"","devices":[]},{"name":"md1","level":"raid0","spares":1,"devices":["/dev/a","/dev/a"]},)"
                 R"({"name":"md2","level":"raid7","devices":["/dev/b"]}]})") ==
        "error at $.storage.raid.0.level, line 1 col 74: unrecognized raid level\n"
        "error at $.storage.raid.0.devices, line 1 col 87: raid devices required\n"
        "error at $.storage.raid.1.level, line 1 col 113: spares unsupported for linear and raid0 "
        "arrays\n"
        "error at $.storage.raid.2.level, line 1 col 185: unrecognized raid level\n"
        "error at $.storage.raid.1.devices.1, line 1 col 152: duplicate entry defined\n");
  CHECK(ReportOf("3.3.0",
                 R"("storage":{"raid":[{"name":"md0","devices":["/d"]},{"name":"md0","level":"mirror","spares":2,"devices":["/d"],"options":["-x","-x"]}]})") ==
        "error at $.storage.raid.0.level, line 1 col 52: raid level is required\n"
        "error at $.storage.raid.1, line 1 col 84: duplicate entry defined\n");
  for (std::string_view level : {"linear", "raid0", "0", "stripe", "raid1", "1", "mirror", "raid4",
                                 "4", "raid5", "5", "raid6", "6", "raid10", "10"}) {
    INFO(level);
    CHECK(ReportOf("3.6.0", R"("storage":{"raid":[{"name":"md","level":")" + std::string(level) +
                                R"(","devices":["/dev/a"]}]})")
              .empty());
  }
}

TEST_CASE("filesystems: device, path, format, labels per format") {
  CHECK(ReportOf("3.2.0",
                 R"("storage":{"filesystems":[{"device":"/dev/a","format":"none"},{"device":"rel","label":"x"},)"
                 R"({"device":"/dev/c","format":"ext4","label":"01234567890123456","path":"mnt"},{"device":"/dev/d","wipeFilesystem":true},)"
                 R"({"device":"/dev/e","format":"xfs","label":"0123456789012"},{"device":"/dev/f","format":"vfat","label":"012345678901"},)"
                 R"({"device":"/dev/g","format":"swap","label":"0123456789012345"}]})") ==
        "error at $.storage.filesystems.0.format, line 1 col 87: invalid filesystem format\n"
        "error at $.storage.filesystems.1.device, line 1 col 105: path not absolute\n"
        "error at $.storage.filesystems.1.format, line 1 col 95: format cannot be empty when path, "
        "label, uuid, wipeFilesystem, options, or mountOptions is specified\n"
        "error at $.storage.filesystems.1.label, line 1 col 119: filesystem must specify format if "
        "label is specified\n"
        "error at $.storage.filesystems.2.path, line 1 col 194: path not absolute\n"
        "error at $.storage.filesystems.2.label, line 1 col 167: filesystem labels cannot be longer "
        "than 16 characters when using ext4\n"
        "error at $.storage.filesystems.3.format, line 1 col 201: format cannot be empty when path, "
        "label, uuid, wipeFilesystem, options, or mountOptions is specified\n"
        "error at $.storage.filesystems.4.label, line 1 col 285: filesystem labels cannot be longer "
        "than 12 characters when using xfs\n"
        "error at $.storage.filesystems.5.label, line 1 col 345: filesystem labels cannot be longer "
        "than 11 characters when using vfat\n"
        "error at $.storage.filesystems.6.label, line 1 col 404: filesystem labels cannot be longer "
        "than 15 characters when using swap\n");
  std::string long_btrfs(257, 'b');
  CHECK(ReportOf("3.4.0", R"("storage":{"filesystems":[{"device":"/dev/a","format":"btrfs","label":")" +
                              long_btrfs + R"("}]})") ==
        "error at $.storage.filesystems.0.label, line 1 col 103: filesystem labels cannot be longer "
        "than 256 characters when using btrfs\n");
  CHECK(ReportOf("3.4.0", R"("storage":{"filesystems":[{"device":"/dev/a","mountOptions":["ro"],"options":["-f","-f"]}]})") ==
        "error at $.storage.filesystems.0.format, line 1 col 59: format cannot be empty when path, "
        "label, uuid, wipeFilesystem, options, or mountOptions is specified\n");
}

TEST_CASE("filesystem formats follow the declared version") {
  auto fs = [](std::string_view format) {
    return R"("storage":{"filesystems":[{"device":"/dev/a","format":")" + std::string(format) +
           R"("}]})";
  };
  for (std::string_view v : testing::kAllVersions) {
    INFO(v);
    for (std::string_view f : {"ext4", "btrfs", "xfs", "swap", "vfat"}) CHECK(ReportOf(v, fs(f)).empty());
    CHECK(ReportOf(v, fs("none")).empty() == (v >= "3.3.0"));
    CHECK(ReportOf(v, fs("virtiofs")).empty() == (v == "3.7.0-experimental"));
    CHECK_FALSE(ReportOf(v, fs("ntfs")).empty());
  }
}

TEST_CASE("virtiofs (3.7.0-experimental): a tag, and no block-device fields") {
  CHECK(ReportOf("3.7.0-experimental",
                 R"("storage":{"filesystems":[{"device":"share","format":"virtiofs","label":"x","uuid":"u","wipeFilesystem":true,"options":["-f"]},)"
                 R"({"device":"","format":"virtiofs"},{"device":"0123456789012345678901234567890123456","format":"virtiofs"},)"
                 R"({"device":"share2","format":"virtiofs","path":"/var/share","mountOptions":["ro"]}]})") ==
        "error at $.storage.filesystems.0.label, line 1 col 118: virtiofs filesystems cannot have a "
        "label\n"
        "error at $.storage.filesystems.0.uuid, line 1 col 129: uuid is not supported for virtiofs "
        "filesystems\n"
        "error at $.storage.filesystems.0.wipeFilesystem, line 1 col 150: wipeFilesystem is not "
        "supported for virtiofs filesystems\n"
        "error at $.storage.filesystems.0.options, line 1 col 165: mkfs options are not supported "
        "for virtiofs filesystems\n"
        "error at $.storage.filesystems.1.device, line 1 col 183: device not specified\n"
        "error at $.storage.filesystems.2.device, line 1 col 217: virtiofs device tag cannot be "
        "longer than 36 characters\n");
}

TEST_CASE("filesystems on partitioned or wiped disks warn") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"disks":[{"device":"/dev/a","partitions":[{"number":1}]},{"device":"/dev/b","wipeTable":true}],)"
                 R"("filesystems":[{"device":"/dev/a","format":"ext4"},{"device":"/dev/b","format":"ext4"},{"device":"/dev/b","format":"ext4","wipeFilesystem":true}]})") ==
        "warning at $.storage.filesystems.0.device, line 1 col 164: filesystem overwrites "
        "partitioned device\n"
        "warning at $.storage.filesystems.1.device, line 1 col 200: device matches disk with "
        "wipeTable enabled; filesystem will be wiped\n"
        "error at $.storage.filesystems.2, line 1 col 226: duplicate entry defined\n");
}

}  // namespace
}  // namespace flint::schema
