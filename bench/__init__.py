"""Benchmarks: synthetic data at scales S, M and L (services/seeding/synthetic.py) and the runner
behind `python manage.py bench` (bench/runner.py). Each bench/bench_<topic>.py registers
its benchmarks with @benchmark; results land in bench/results/latest.json (git-ignored)."""
