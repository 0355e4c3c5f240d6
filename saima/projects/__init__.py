"""Key-project supervision (重点项目红旗/蜗牛): the register, monthly reports, lights, ratings, cards."""
