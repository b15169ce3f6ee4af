// Helpers for the Catch2 cases that run inside the test VM (vm-tests/disks): run a command,
// run `flint -stage disks` on a storage section, and read the guest's view of a disk
// (sfdisk -d, blkid -p) in a form that compares exactly.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/os/runner.h"

namespace flint::vm_guest {

namespace fs = std::filesystem;
using flint::agent::Argv;
using flint::agent::ProcessRunner;
using flint::agent::RunResult;

inline constexpr const char* kLinux = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
inline constexpr const char* kRaidType = "A19D880F-05FC-4D3B-A006-743F0F84911E";

inline RunResult Sh(const Argv& argv) {
  ProcessRunner runner;
  return runner.Run(argv);
}

// Runs argv and fails the test case when it does not exit 0.
inline std::string Must(const Argv& argv) {
  RunResult r = Sh(argv);
  INFO(flint::agent::FormatArgv(argv) << "\nstdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// `flint -stage disks` on `config` (the storage section of a 3.4.0 config;
// `ignition` the rest of its ignition section).
inline RunResult Flint(const std::string& storage, const std::string& timeout = "20", const std::string& ignition = "") {
  std::ofstream("/tmp/disks.ign") << R"({"ignition":{"version":"3.4.0")" << ignition << R"(},"storage":)" << storage
                                  << "}";
  RunResult r = Sh({"env", "FLINT_DEVICE_TIMEOUT=" + timeout, FLINT_BINARY, "-platform", "file", "-stage", "disks",
                    "-log-to-stdout", "-root", "/tmp/sysroot", "-config-cache", "/tmp/disks.ign", "-state-file",
                    "/tmp/disks.state"});
  r.out += r.err;
  return r;
}

// The partition lines of `sfdisk -d`, whitespace removed (no name= for an unnamed one):
// /dev/vda1:start=2048,size=131072,type=...,uuid=...,name="p1"
inline std::vector<std::string> Parts(const std::string& disk) {
  std::istringstream in(Must({"sfdisk", "-d", disk}));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(disk, 0) != 0) continue;
    std::string compact;
    for (char c : line)
      if (c != ' ') compact += c;
    lines.push_back(compact);
  }
  return lines;
}

// One line as Parts() gives it; an empty name is an unnamed partition.
inline std::string Part(const std::string& dev, int64_t start, int64_t size, const std::string& guid,
                        const std::string& name, const std::string& type = kLinux) {
  std::string line = dev + ":start=" + std::to_string(start) + ",size=" + std::to_string(size) + ",type=" + type +
                     ",uuid=" + guid;
  return name.empty() ? line : line + ",name=\"" + name + "\"";
}

// blkid -p TYPE/LABEL/UUID of a device, as "TYPE=ext4 LABEL=x UUID=y" ("" when blank).
inline std::string Blkid(const std::string& dev) {
  RunResult r = Sh({"blkid", "-p", "-o", "export", dev});
  std::istringstream in(r.out);
  std::string type, label, uuid;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("TYPE=", 0) == 0) type = line;
    if (line.rfind("LABEL=", 0) == 0) label = " " + line;
    if (line.rfind("UUID=", 0) == 0) uuid = " " + line;
  }
  return type + label + uuid;
}

inline std::string Guid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "5A1E0000-0000-4000-8000-%012d", n);
  return buf;
}

inline std::string PartJson(int number, const std::string& label, int size_mib, int guid,
                            const std::string& extra = "") {
  return R"({"number":)" + std::to_string(number) + R"(,"label":")" + label + R"(","sizeMiB":)" +
         std::to_string(size_mib) + R"(,"guid":")" + Guid(guid) + "\"" + extra + "}";
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}


}  // namespace flint::vm_guest
