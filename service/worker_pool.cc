#include "service/worker_pool_internal.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <utility>

namespace yingshang::service {

WorkerPool::WorkerPool(int threads, std::string name, int nice) {
  if (threads < 1) threads = 1;
  if (name.size() > 15) name.resize(15);  // The kernel keeps 15 bytes.
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, name, nice] {
      if (!name.empty()) pthread_setname_np(pthread_self(), name.c_str());
      if (nice != 0) {
        // Per thread on Linux: PRIO_PROCESS with a thread id. Raising the
        // niceness needs no privilege; a failure leaves the default.
        const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
        const int current = getpriority(PRIO_PROCESS, tid);
        if (setpriority(PRIO_PROCESS, tid, current + nice) != 0) {
          std::fprintf(stderr, "yingshang: setpriority(%s, %+d): %s\n",
                       name.c_str(), nice, std::strerror(errno));
        }
      }
      Loop();
    });
  }
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::Schedule(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return false;
  tasks_.push_back(std::move(task));
  return true;
}

void WorkerPool::Stop() {
  absl::MutexLock join_lock(&join_mu_);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !tasks_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (tasks_.empty()) return;  // Stopping and drained.
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace yingshang::service
