// A helper whose failure must be reported here, not in the loading script.
void Explode()
{
    var ghost = Containers["dockscript-fixture-ghost"];
}
