// WorkerPool: every scheduled task runs, on threads with the given name and
// niceness (Linux: per-thread niceness through PRIO_PROCESS and the tid).
#include "service/worker_pool_internal.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"

namespace yingshang::service {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnNamedNicerThreads) {
  const int base = getpriority(PRIO_PROCESS, static_cast<pid_t>(syscall(SYS_gettid)));
  absl::Mutex mu;
  std::string name;
  int nice = 0;
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2, "ys-test-pool-long-name", 3);
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(pool.Schedule([&] {
        char buf[16] = {};
        pthread_getname_np(pthread_self(), buf, sizeof(buf));
        const int n = getpriority(PRIO_PROCESS, static_cast<pid_t>(syscall(SYS_gettid)));
        absl::MutexLock lock(&mu);
        name = buf;
        nice = n;
        ++ran;
      }));
    }
    pool.Stop();
    EXPECT_FALSE(pool.Schedule([] {}));
  }
  EXPECT_EQ(ran.load(), 100);
  EXPECT_EQ(name, "ys-test-pool-lo");  // The kernel keeps 15 bytes.
  // Raising niceness needs no privilege; at the ceiling (19) it stays there.
  EXPECT_EQ(nice, std::min(base + 3, 19));
}

TEST(WorkerPoolTest, DefaultsKeepTheProcessPriority) {
  const int base = getpriority(PRIO_PROCESS, static_cast<pid_t>(syscall(SYS_gettid)));
  std::atomic<int> nice{-100};
  {
    WorkerPool pool(1);
    ASSERT_TRUE(pool.Schedule([&] {
      nice = getpriority(PRIO_PROCESS, static_cast<pid_t>(syscall(SYS_gettid)));
    }));
  }
  EXPECT_EQ(nice.load(), base);
}

}  // namespace
}  // namespace yingshang::service
