// Fault-tree benchmark: runs thornwood-cli (and SCRAM, when asked and installed) on every
// Aralia model as a whole process, alternating the two, and prints the median wall time of
// N runs, peak memory, BDD/ZBDD nodes and results as a Markdown table.
//
//   ft_bench --cli build/app/thornwood-cli --shared ../shared [--runs 3] [--timeout 100]
//            [--mode probability|counts|all] [--scram] [--models baobab1,edf9201]
//            [--extra "more thornwood-cli arguments"]
//
// mode probability: thornwood --limit-order 1 --max-cut-sets 0 (exact P, order-1 sets);
//                   scram --bdd --probability 1 --limit-order 1.
// mode counts:      thornwood --max-cut-sets 0: exact P and every cut set counted by order;
//                   SCRAM has no mode that counts without listing, so it runs as in "all".
// mode all:         thornwood lists every cut set (--max-cut-sets 1e9);
//                   scram --bdd --probability 1 --cut-off 0 --limit-order 1000.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Sample {
  bool ok = false;
  bool timedOut = false;
  double wallS = 0;
  long maxRssKb = 0;
};

Sample runProcess(const std::vector<std::string>& argv, const std::string& stdoutPath, int timeoutS) {
  Sample s;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(stdoutPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = open("/dev/null", O_WRONLY);
    dup2(out, 1);
    dup2(null, 2);
    alarm(static_cast<unsigned>(timeoutS));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  s.wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.maxRssKb = usage.ru_maxrss;
  s.timedOut = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
  s.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string fmt(double v, const char* f = "%.2f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cli = "build/app/thornwood-cli";
  std::string shared = "../shared";
  std::string mode = "probability";
  std::vector<std::string> only;
  int runs = 3;
  int timeout = 100;
  bool scram = false;
  std::vector<std::string> extra;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--cli") cli = next();
    else if (a == "--shared") shared = next();
    else if (a == "--runs") runs = std::stoi(next());
    else if (a == "--timeout") timeout = std::stoi(next());
    else if (a == "--mode") mode = next();
    else if (a == "--scram") scram = true;
    else if (a == "--extra") {
      std::stringstream ss(next());
      for (std::string x; ss >> x;) extra.push_back(x);
    }
    else if (a == "--models") {
      std::stringstream ss(next());
      for (std::string m; std::getline(ss, m, ',');) only.push_back(m);
    } else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  const fs::path dir = fs::path(shared) / "benchmarks/fault-trees/aralia";
  if (!fs::exists(dir)) {
    std::cerr << "no benchmark models under " << dir << "\n";
    return 2;
  }
  if (scram && std::system("command -v scram >/dev/null 2>&1") != 0) {
    std::cerr << "scram is not installed (apt-get install scram); running without it\n";
    scram = false;
  }
  std::vector<fs::path> models;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string stem = e.path().stem().string();
    if (!only.empty() && std::find(only.begin(), only.end(), stem) == only.end()) continue;
    models.push_back(e.path());
  }
  std::sort(models.begin(), models.end());
  const std::string out = (fs::temp_directory_path() / "thornwood-bench.json").string();
  const std::string scramOut = (fs::temp_directory_path() / "thornwood-bench-scram.xml").string();

  std::cout << "| model | P(top) | MCS | BDD nodes | ZBDD nodes | Thornwood s | MB";
  if (scram) std::cout << " | SCRAM s | SCRAM MB | ratio";
  std::cout << " |\n|---|---|---|---|---|---|---";
  if (scram) std::cout << "|---|---|---";
  std::cout << "|\n";
  for (const fs::path& model : models) {
    std::vector<std::string> ours = {cli, "analyse", model.string(), "--format", "json",
                                     "--max-cut-sets", mode == "all" ? "1000000000" : "0"};
    if (mode == "probability") {
      // The same question SCRAM answers with --limit-order 1: exact P, cut sets of order 1.
      ours.push_back("--limit-order");
      ours.push_back("1");
    }
    ours.insert(ours.end(), extra.begin(), extra.end());
    std::vector<std::string> theirs = {"scram", "--bdd", "--probability", "1"};
    if (mode != "probability") {
      for (const char* a : {"--cut-off", "0", "--limit-order", "1000"}) theirs.push_back(a);
    } else {
      for (const char* a : {"--limit-order", "1"}) theirs.push_back(a);
    }
    theirs.push_back(model.string());
    theirs.push_back("-o");
    theirs.push_back(scramOut);
    std::vector<double> ourWall, theirWall;
    long ourRss = 0, theirRss = 0;
    bool ourOk = true, theirOk = true;
    for (int r = 0; r < runs; ++r) {
      const Sample a = runProcess(ours, out, timeout);
      ourOk = ourOk && a.ok;
      ourWall.push_back(a.wallS);
      ourRss = std::max(ourRss, a.maxRssKb);
      if (scram && theirOk) {
        const Sample b = runProcess(theirs, "/dev/null", timeout);
        theirOk = b.ok;
        theirWall.push_back(b.wallS);
        theirRss = std::max(theirRss, b.maxRssKb);
      }
      if (!ourOk && (!scram || !theirOk)) break;
    }
    std::string p = "-", count = "-", bdd = "-", zbdd = "-";
    if (ourOk) {
      std::ifstream in(out);
      const auto j = nlohmann::json::parse(in, nullptr, false);
      if (!j.is_discarded() && !j["results"].empty()) {
        const auto& res = j["results"][0];
        p = res["probability"].is_number() ? fmt(res["probability"].get<double>(), "%.6g") : "-";
        count = std::to_string(res["cut_sets"]["count"].get<std::uint64_t>());
        bdd = std::to_string(res["stats"]["bdd_nodes"].get<std::uint64_t>());
        zbdd = std::to_string(res["stats"]["zbdd_nodes"].get<std::uint64_t>());
      }
    }
    const double ourMedian = median(ourWall);
    std::cout << "| " << model.stem().string() << " | " << p << " | " << count << " | " << bdd
              << " | " << zbdd << " | " << (ourOk ? fmt(ourMedian) : "failed") << " | "
              << fmt(ourRss / 1024.0, "%.0f");
    if (scram) {
      const double theirMedian = median(theirWall);
      std::cout << " | " << (theirOk ? fmt(theirMedian) : "killed >" + std::to_string(timeout))
                << " | " << (theirOk ? fmt(theirRss / 1024.0, "%.0f") : "-") << " | "
                << (theirOk && ourOk ? fmt(ourMedian / theirMedian) : "-");
    }
    std::cout << " |" << std::endl;
  }
  return 0;
}
