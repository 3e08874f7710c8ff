// SPDX-License-Identifier: MIT
#include "util/flock.h"

#include <fcntl.h>

#include <cerrno>
#include <chrono>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "util/fd.h"

namespace zk::util {
namespace {

using std::chrono::milliseconds;

TEST(FlockExclusive, WaitsThenGivesUpWithEwouldblock) {
  testsupport::TempDir dir;
  // Two open file descriptions of one directory: flock counts them as two holders.
  Fd first(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  Fd second(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(first.valid() && second.valid());
  ASSERT_TRUE(flock_exclusive(first.get(), milliseconds(0)));
  const auto start = std::chrono::steady_clock::now();
  auto busy = flock_exclusive(second.get(), milliseconds(300));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().errnum, EWOULDBLOCK);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(300));
  first.reset();  // the holder goes away
  EXPECT_TRUE(flock_exclusive(second.get(), milliseconds(0)));
}

TEST(FlockExclusive, BadDescriptorIsAnError) {
  auto r = flock_exclusive(-1, milliseconds(1000));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errnum, EBADF);
}

TEST(LockFile, SecondHolderWaitsUntilTheFirstIsGone) {
  testsupport::TempDir dir;
  const std::string path = dir.path() + "/entry.lock";
  auto first = LockFile::acquire(path, milliseconds(0));
  ASSERT_TRUE(first) << first.error().message;
  auto busy = LockFile::acquire(path, milliseconds(200));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().errnum, EWOULDBLOCK);
  EXPECT_NE(busy.error().message.find(path), std::string::npos);
  {
    LockFile gone = std::move(*first);
  }  // the first holder releases the lock
  EXPECT_TRUE(LockFile::acquire(path, milliseconds(0)));
}

TEST(LockFile, UncreatableLockFileIsAnErrorNamingIt) {
  auto r = LockFile::acquire("/nonexistent-zk-dir/x.lock", milliseconds(0));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errnum, ENOENT);
  EXPECT_NE(r.error().message.find("/nonexistent-zk-dir/x.lock"), std::string::npos);
}

}  // namespace
}  // namespace zk::util
