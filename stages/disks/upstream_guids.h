// The type and partition GUIDs upstream Ignition's black-box partition tests
// use, for the tests that mirror them: the planner's (plan_test_util.h,
// partition_plan_upstream_test.cc) and the test VM's
// (vm-tests/disks/blackbox_test.cc).
#pragma once

namespace flint::stages::testing {

inline constexpr const char* kEfiType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
inline constexpr const char* kResizeType = "3884DD41-8582-4404-B9A8-E9B84F2DF50E";
inline constexpr const char* kT0 = "B921B045-1DF0-41C3-AF44-4C6F280D3FAE";
inline constexpr const char* kT1 = "CA7D7CCB-63ED-4C53-861C-1742536059CC";
inline constexpr const char* kT2 = "F39C522B-9966-4429-A8F8-417CD5D83E5E";
inline constexpr const char* kG0 = "8A7A6E26-5E8F-4CCA-A654-46215D4696AC";
inline constexpr const char* kG1 = "A51034E6-26B3-48DF-BEED-220562AC7AD1";
inline constexpr const char* kG2 = "3ED3993F-0016-422B-B134-09FCBA6F66EF";

}  // namespace flint::stages::testing
