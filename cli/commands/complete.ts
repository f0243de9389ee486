import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("complete", "todo", {}, async () => 0);
