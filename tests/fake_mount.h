// Staged "devices" for provider tests: a by-label directory whose entries are
// plain files, and a FakeRunner handler that "mounts" a device by copying its
// staged contents into the mount point and "unmounts" by emptying it, so the
// real mount/read/unmount code path runs without root or block devices.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "agent/os/runner.h"
#include "tests/temp_dir.h"

namespace flint::testing {

class FakeDrives {
 public:
  explicit FakeDrives(const TempDir& dir) : by_label_(dir / "by-label"), staged_(dir / "staged") {
    std::filesystem::create_directories(by_label_);
  }

  // The FLINT_DISK_BY_LABEL_DIR value.
  std::string by_label() const { return by_label_.string(); }

  // Adds a drive labelled `label` holding `files` (relative path -> bytes).
  void Add(const std::string& label, const std::map<std::string, std::string>& files) {
    Stage(label, files);
    Attach(label);
  }
  // Stages the drive's contents without making it appear yet.
  void Stage(const std::string& label, const std::map<std::string, std::string>& files) {
    std::filesystem::create_directories(staged_ / label);
    for (const auto& [rel, bytes] : files) {
      std::filesystem::path p = staged_ / label / rel;
      std::filesystem::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << bytes;
    }
  }
  // Makes a staged drive appear in the by-label directory.
  void Attach(const std::string& label) { std::ofstream(by_label_ / label) << ""; }

  // Handles `mount -o ro -t auto DEVICE DIR` and `umount DIR`.
  agent::RunResult Handle(const agent::Argv& argv) {
    namespace fs = std::filesystem;
    if (argv.size() == 7 && fs::path(argv[0]).filename() == "mount") {
      std::string label = fs::path(argv[5]).filename().string();
      if (!fs::exists(staged_ / label)) return {32, "", "mount: " + argv[5] + ": wrong fs type"};
      fs::copy(staged_ / label, argv[6], fs::copy_options::recursive);
      mounted_.push_back(argv[6]);
      return {};
    }
    if (argv.size() == 2 && fs::path(argv[0]).filename() == "umount") {
      for (const auto& entry : fs::directory_iterator(argv[1])) fs::remove_all(entry.path());
      return {};
    }
    return {127, "", "unexpected command"};
  }

  const std::vector<std::string>& mounted() const { return mounted_; }

 private:
  std::filesystem::path by_label_;
  std::filesystem::path staged_;
  std::vector<std::string> mounted_;
};

}  // namespace flint::testing
