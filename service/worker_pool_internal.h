// A fixed set of threads running tasks in FIFO order. gRPC reactions hand
// blocking work (pipeline, disk) to a pool and return at once.
#ifndef YINGSHANG_SERVICE_WORKER_POOL_INTERNAL_H_
#define YINGSHANG_SERVICE_WORKER_POOL_INTERNAL_H_

#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace yingshang::service {

// Thread-safe. Tasks must not throw.
class WorkerPool {
 public:
  // Starts `threads` threads (at least 1), named `name` (at most 15 bytes
  // are kept; "" leaves the process's name), at scheduling niceness `nice`
  // above the process's (0: the same). A positive nice lets latency-bound
  // threads (gRPC, subscription delivery) go first when the cores are busy;
  // it costs nothing when they are not.
  explicit WorkerPool(int threads, std::string name = "", int nice = 0);
  // Runs every task already scheduled, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues task to run on one of the threads. Returns false, without running
  // it, once Stop() has begun.
  bool Schedule(std::function<void()> task);

  // Refuses new tasks, runs the queued ones and joins the threads.
  // Idempotent. REQUIRES: not called from one of the pool's threads.
  void Stop();

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;  // Joined once, by Stop().
  absl::Mutex join_mu_;               // Serializes Stop().
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_WORKER_POOL_INTERNAL_H_
