"""What a deployment of cluster mode uses (deploy/README.md), and `deploy.cluster`, which runs it on one machine."""
