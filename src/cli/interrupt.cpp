// SIGINT, SIGTERM and SIGHUP end the run without leaving half-written outputs. The signals are
// blocked in every thread (main() calls this before starting any) and received by one thread with
// sigwait(), so the cleanup runs as ordinary code, not in an async-signal handler: it removes the
// staging folders (abandon_all_output_dirs waits for a commit under way) and exits with 128 + signal.
#include "commands.hpp"

#include "cptsmap/export/output_dir.hpp"

#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include <pthread.h>
#include <unistd.h>

namespace cptsmap::cli {

namespace {
std::mutex interrupt_mutex;
std::function<void()> interrupt_action;
} // namespace

void on_interrupt(std::function<void()> action)
{
    std::lock_guard lock(interrupt_mutex);
    interrupt_action = std::move(action);
}

void handle_interrupts()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
    std::thread([set] {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) return;
        {
            std::lock_guard lock(interrupt_mutex);
            if (interrupt_action) {
                interrupt_action(); // the command ends on its own (cptsmap serve)
                return;
            }
        }
        abandon_all_output_dirs();
        std::fprintf(stderr, "cptsmap: error: interrupted (%s); no output was written\n", sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
        std::fflush(stderr);
        ::_exit(128 + sig);
    }).detach();
}

} // namespace cptsmap::cli
